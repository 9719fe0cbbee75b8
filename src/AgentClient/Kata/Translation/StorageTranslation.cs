using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.AgentClient.Kata.Translation;

/// <summary><see cref="Storage"/> and <see cref="KernelModule"/> to Kata's protobuf messages and back.</summary>
internal static class StorageTranslation
{
    public static Wire.Storage ToWire(Storage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var wire = new Wire.Storage
        {
            Driver = storage.Driver,
            Source = storage.Source,
            Fstype = storage.FsType,
            MountPoint = storage.MountPoint,
            Shared = storage.Shared,
        };
        wire.DriverOptions.AddRange(storage.DriverOptions);
        wire.Options.AddRange(storage.Options);
        return wire;
    }

    public static Storage ToDomain(Wire.Storage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return new Storage
        {
            Driver = storage.Driver,
            DriverOptions = [.. storage.DriverOptions],
            Source = storage.Source,
            FsType = storage.Fstype,
            Options = [.. storage.Options],
            MountPoint = storage.MountPoint,
            Shared = storage.Shared,
        };
    }

    public static Wire.KernelModule ToWire(KernelModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var wire = new Wire.KernelModule { Name = module.Name };
        wire.Parameters.AddRange(module.Parameters);
        return wire;
    }

    public static KernelModule ToDomain(Wire.KernelModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return new KernelModule { Name = module.Name, Parameters = [.. module.Parameters] };
    }
}
