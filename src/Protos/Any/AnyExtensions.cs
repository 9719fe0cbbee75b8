using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Sealpod.Protos;

/// <summary>
/// Packs and unpacks <c>google.protobuf.Any</c> the way containerd does: bare type names for
/// protobuf messages, JSON bytes for OCI runtime-spec types.
/// </summary>
/// <remarks>
/// Google.Protobuf's <c>Any.Pack</c> always adds a prefix (an empty one yields "/name") and its
/// <c>Unpack</c> rejects URLs without a '/', so neither can be used against containerd.
/// </remarks>
public static class AnyExtensions
{
    /// <summary>Wraps <paramref name="message"/> under its bare full name.</summary>
    public static Any PackBare(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new Any
        {
            TypeUrl = message.Descriptor.FullName,
            Value = message.ToByteString(),
        };
    }

    /// <summary>Wraps UTF-8 JSON under an OCI type URL such as <see cref="TypeUrls.OciProcess"/>.</summary>
    public static Any PackJson(string typeUrl, ReadOnlySpan<byte> utf8Json)
    {
        ArgumentException.ThrowIfNullOrEmpty(typeUrl);
        return new Any { TypeUrl = typeUrl, Value = ByteString.CopyFrom(utf8Json) };
    }

    /// <summary>Wraps a JSON string under an OCI type URL.</summary>
    public static Any PackJson(string typeUrl, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return PackJson(typeUrl, Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Whether the Any holds a <paramref name="descriptor"/> message, bare or prefixed.</summary>
    /// <remarks>Not named <c>Is</c>: <c>Any.Is</c> exists and rejects bare type URLs.</remarks>
    public static bool Holds(this Any any, MessageDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(any);
        return TypeUrls.Names(any.TypeUrl, descriptor);
    }

    /// <summary>Decodes the Any as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidDataException">The Any holds another type.</exception>
    /// <exception cref="InvalidProtocolBufferException">The value does not parse.</exception>
    public static T UnpackBare<T>(this Any any)
        where T : IMessage<T>, new()
    {
        if (!any.TryUnpackBare(out T message))
        {
            throw new InvalidDataException(
                $"Any holds type '{any.TypeUrl}', expected '{message.Descriptor.FullName}'.");
        }

        return message;
    }

    /// <summary>
    /// Decodes the Any as <typeparamref name="T"/> when it holds that type. On false,
    /// <paramref name="message"/> is an empty instance, useful only for its descriptor.
    /// </summary>
    /// <exception cref="InvalidProtocolBufferException">The type matches but the value does not parse.</exception>
    public static bool TryUnpackBare<T>(this Any any, out T message)
        where T : IMessage<T>, new()
    {
        ArgumentNullException.ThrowIfNull(any);
        message = new T();
        if (!TypeUrls.Names(any.TypeUrl, message.Descriptor))
        {
            return false;
        }

        message.MergeFrom(any.Value);
        return true;
    }

    /// <summary>The JSON bytes of an OCI-typed Any, after checking its type URL.</summary>
    /// <exception cref="InvalidDataException">The Any carries another type URL.</exception>
    public static ReadOnlyMemory<byte> JsonPayload(this Any any, string expectedTypeUrl)
    {
        ArgumentNullException.ThrowIfNull(any);
        ArgumentException.ThrowIfNullOrEmpty(expectedTypeUrl);
        if (!string.Equals(any.TypeUrl, expectedTypeUrl, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Any holds type '{any.TypeUrl}', expected '{expectedTypeUrl}'.");
        }

        return any.Value.Memory;
    }

    /// <summary>The descriptor's bare type URL; shorthand for <see cref="TypeUrls.For"/>.</summary>
    public static string BareTypeUrl(this MessageDescriptor descriptor) => TypeUrls.For(descriptor);
}
