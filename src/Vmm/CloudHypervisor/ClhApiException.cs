using System.Net;

namespace Sealpod.Vmm.CloudHypervisor;

/// <summary>Cloud Hypervisor answered an API request with an error status; carries the endpoint and its explanation.</summary>
public sealed class ClhApiException : HypervisorException
{
    /// <summary>Creates the exception.</summary>
    public ClhApiException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ClhApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ClhApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from an error answer.</summary>
    public ClhApiException(string endpoint, HttpStatusCode status, string body)
        : base($"Cloud Hypervisor {endpoint} failed: {(int)status} {status}{(string.IsNullOrWhiteSpace(body) ? string.Empty : ": " + body.Trim())}")
    {
        Endpoint = endpoint;
        Status = status;
    }

    /// <summary>The API endpoint, such as <c>vm.create</c>.</summary>
    public string Endpoint { get; } = string.Empty;

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; }
}
