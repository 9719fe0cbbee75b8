using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Agent.Service.Translation;

/// <summary>Kata <c>Storage</c> messages to <see cref="StorageSpec"/>.</summary>
internal static class StorageTranslation
{
    public static StorageSpec ToDomain(Wire.Storage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return new StorageSpec
        {
            Driver = storage.Driver,
            Source = storage.Source,
            FileSystemType = storage.Fstype,
            Options = [.. storage.Options],
            DriverOptions = [.. storage.DriverOptions],
            MountPoint = storage.MountPoint,
            Shared = storage.Shared,
        };
    }
}
