namespace Sealpod.Agent.Images;

/// <summary>
/// An image could not be pulled: the message names the image reference and the cause, because it travels
/// unchanged through the agent's error to the shim's log and the CRI error a user reads.
/// </summary>
internal sealed class ImagePullException : Exception
{
    public ImagePullException(string image, string cause, Exception? inner = null)
        : base($"pulling image {image} in the guest: {cause}", inner)
    {
        Image = image;
        Cause = cause;
    }

    public string Image { get; }

    public string Cause { get; }
}
