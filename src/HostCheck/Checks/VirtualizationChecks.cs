namespace Sealpod.HostCheck.Checks;

/// <summary>
/// The checks <c>kata-runtime check</c> makes (CPU flags, kvm and vhost modules, a VM can be created), plus which
/// KVM backend serves /dev/kvm: hardware (kvm_amd/kvm_intel), nested inside another hypervisor, or PVM.
/// </summary>
public sealed class VirtualizationChecks : SyncCheckGroup
{
    protected override IReadOnlyList<CheckResult> Run(CheckContext context)
    {
        var backend = KvmBackendFacts.Detect(context.Host);
        return
        [
            CpuVirtualization(context.Host, backend),
            KvmModule(context.Host),
            KvmBackend(context.Host, backend),
            KvmDevice(context),
            VhostModule(context.Host),
            VhostDevice(context, CheckIds.VhostNet, "vhost_net", "/dev/vhost-net",
                "QEMU falls back to virtio-net in user space (vhost=off): networking works, with more host CPU per packet.",
                "modprobe vhost_net (and add it to /etc/modules-load.d/) to give the guest vhost-accelerated networking."),
            VhostDevice(context, CheckIds.VhostVsock, "vhost_vsock", "/dev/vhost-vsock",
                "The agent cannot use vsock; Sealpod's QEMU driver falls back to a virtio-serial port for the agent.",
                "modprobe vhost_vsock (and add it to /etc/modules-load.d/) so the shim reaches the agent over vsock, the production transport."),
        ];
    }

    private static CheckResult CpuVirtualization(HostFacts host, KvmBackendFacts backend)
    {
        var cpu = host.Cpu;
        var evidence = new List<Evidence> { new($"{CpuInfo.Path} vendor_id", host.CpuInfoFile.Ok ? cpu.VendorId : host.CpuInfoFile.Describe()) };
        switch (cpu.Architecture)
        {
            case CpuArchitecture.X86_64:
            {
                var virtFlag = cpu.Vendor == CpuVendor.Amd ? "svm" : "vmx";
                string[] wanted = ["lm", "sse4_1", virtFlag, "hypervisor"];
                evidence.Add(new($"{CpuInfo.Path} flags", string.Join(' ', wanted.Select(f => cpu.HasFlag(f) ? f : $"no-{f}"))));
                var missingBasics = new[] { "lm", "sse4_1" }.Where(f => !cpu.HasFlag(f)).ToArray();
                if (missingBasics.Length > 0)
                {
                    return CheckResult.Create(CheckIds.CpuVirtualization, CheckStatus.Fail,
                        $"the CPU lacks {string.Join(", ", missingBasics)} (64-bit and SSE4.1 are required)", evidence,
                        "Use a 64-bit x86 CPU with SSE4.1 (any x86 server CPU of the last decade).");
                }

                if (cpu.HasFlag(virtFlag))
                {
                    return CheckResult.Create(CheckIds.CpuVirtualization, CheckStatus.Pass, $"lm, sse4_1 and {virtFlag} present", evidence);
                }

                if (backend.Pvm)
                {
                    return CheckResult.Create(CheckIds.CpuVirtualization, CheckStatus.Warn,
                        $"no {virtFlag}: the CPU offers no hardware virtualization, KVM is provided by PVM", evidence,
                        "Nothing to do for non-confidential pods; TEEs need a bare-metal host with hardware virtualization.");
                }

                return CheckResult.Create(CheckIds.CpuVirtualization, CheckStatus.Fail,
                    $"no {virtFlag}: hardware virtualization is off or not passed through", evidence,
                    cpu.HasFlag("hypervisor")
                        ? $"This host is itself a VM: enable nested virtualization on the outer hypervisor (e.g. kvm_{(cpu.Vendor == CpuVendor.Amd ? "amd" : "intel")}.nested=1) or use bare metal."
                        : $"Enable {(cpu.Vendor == CpuVendor.Amd ? "SVM (AMD-V)" : "VT-x")} in the BIOS/UEFI setup.");
            }

            case CpuArchitecture.S390x:
                evidence.Add(new($"{CpuInfo.Path} features", cpu.HasFlag("sie") ? "sie" : "no-sie"));
                return cpu.HasFlag("sie")
                    ? CheckResult.Create(CheckIds.CpuVirtualization, CheckStatus.Pass, "sie (start interpretive execution) present", evidence)
                    : CheckResult.Create(CheckIds.CpuVirtualization, CheckStatus.Fail, "no sie: this LPAR or guest cannot run KVM guests", evidence,
                        "Run on an LPAR (or a KVM guest with nested virtualization) that offers SIE.");

            default:
                return CheckResult.Create(CheckIds.CpuVirtualization, CheckStatus.Warn,
                    $"unrecognised CPU '{cpu.VendorId}': flags not checked", evidence,
                    "Sealpod is tested on x86-64 (AMD, Intel) and s390x; other CPUs may work but are not checked.");
        }
    }

    private static CheckResult KvmModule(HostFacts host)
    {
        var kvm = host.Modules.Resolve("kvm");
        return kvm.Present
            ? CheckResult.Create(CheckIds.KvmModule, CheckStatus.Pass, kvm.Describe(), kvm.Evidence)
            : CheckResult.Create(CheckIds.KvmModule, CheckStatus.Fail, kvm.Describe(), kvm.Evidence,
                kvm.State == ModuleState.NotLoaded ? "modprobe kvm" : "Install a kernel built with CONFIG_KVM (every distribution kernel has it).");
    }

    private static CheckResult KvmBackend(HostFacts host, KvmBackendFacts backend)
    {
        var evidence = backend.Evidence;
        if (host.Cpu.Architecture == CpuArchitecture.S390x)
        {
            return CheckResult.Create(CheckIds.KvmBackend, host.Modules.Resolve("kvm").Present ? CheckStatus.Pass : CheckStatus.Fail,
                "s390x KVM (SIE)", evidence, "Load the kvm module.");
        }

        if (backend.VendorModule is { Present: true } vendor)
        {
            return backend.Hypervisor is { } outer
                ? CheckResult.Create(CheckIds.KvmBackend, CheckStatus.Warn,
                    $"nested virtualization: {vendor.Name} inside a {outer} guest", evidence,
                    "Nested KVM runs ordinary pods; confidential guests (SEV, SNP, TDX) need KVM on bare metal, so use a bare-metal host for TEE configurations.")
                : CheckResult.Create(CheckIds.KvmBackend, CheckStatus.Pass, $"hardware virtualization ({vendor.Name}) on bare metal", evidence);
        }

        if (backend.Pvm)
        {
            return CheckResult.Create(CheckIds.KvmBackend, CheckStatus.Warn,
                $"KVM is PVM-based (kvm_pvm{(backend.Hypervisor is { } outer ? $", inside a {outer} guest" : "")}): paravirtualized, no hardware virtualization or TEE",
                evidence,
                "PVM boots only PVM-enabled guest kernels (stock kernels hang) and cannot run SEV/SNP/TDX guests: use a PVM guest kernel or "
                + "let Sealpod fall back to TCG for development, and a bare-metal host with hardware virtualization for confidential pods.");
        }

        var name = backend.VendorModule?.Name ?? "kvm_amd/kvm_intel";
        return CheckResult.Create(CheckIds.KvmBackend, CheckStatus.Fail, $"no KVM backend: {name} is not loaded", evidence,
            backend.VendorModule?.State == ModuleState.NotLoaded
                ? $"modprobe {name} (after enabling virtualization in the BIOS)."
                : $"Load {name}: enable virtualization in the BIOS, then modprobe {name}.");
    }

    private static CheckResult KvmDevice(CheckContext context)
    {
        var evidence = new List<Evidence>();
        if (!context.Probe.Exists("/dev/kvm"))
        {
            evidence.Add(new("/dev/kvm", "absent"));
            return CheckResult.Create(CheckIds.KvmDevice, CheckStatus.Fail, "/dev/kvm does not exist", evidence,
                "Load kvm and kvm_amd/kvm_intel (see kvm.backend); in a container, pass the device in (--device /dev/kvm).");
        }

        var kvm = context.Probe.OpenKvmAndCreateVm();
        evidence.Add(new("open /dev/kvm", kvm.Opened ? "ok" : kvm.Error ?? "failed"));
        if (kvm.Opened)
        {
            evidence.Add(new("ioctl KVM_GET_API_VERSION", kvm.ApiVersion >= 0 ? kvm.ApiVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) : kvm.Error ?? "failed"));
        }

        if (kvm.ApiVersion == Probing.KvmProbeResult.ExpectedApiVersion)
        {
            evidence.Add(new("ioctl KVM_CREATE_VM", kvm.VmCreated ? "VM fd created and closed" : kvm.Error ?? "failed"));
        }

        if (kvm.Usable)
        {
            return CheckResult.Create(CheckIds.KvmDevice, CheckStatus.Pass, "KVM API 12, a VM was created", evidence);
        }

        var remedy = !kvm.Opened
            ? "Run as root or add the user to the kvm group (ls -l /dev/kvm shows the owner)."
            : kvm.ApiVersion != Probing.KvmProbeResult.ExpectedApiVersion
                ? "The kernel's KVM speaks an unexpected API version: use a mainline-compatible host kernel."
                : "KVM_CREATE_VM fails when another hypervisor holds the virtualization extensions (VirtualBox, VMware) or memory is short: stop it and retry.";
        return CheckResult.Create(CheckIds.KvmDevice, CheckStatus.Fail, kvm.Error ?? "KVM is not usable", evidence, remedy);
    }

    private static CheckResult VhostModule(HostFacts host)
    {
        var vhost = host.Modules.Resolve("vhost");
        return vhost.Present
            ? CheckResult.Create(CheckIds.VhostModule, CheckStatus.Pass, vhost.Describe(), vhost.Evidence)
            : CheckResult.Create(CheckIds.VhostModule, CheckStatus.Warn,
                $"{vhost.Describe()}: no in-kernel virtio backends (vhost_net, vhost_vsock)", vhost.Evidence,
                vhost.State == ModuleState.NotLoaded ? "modprobe vhost" : "Use a host kernel built with CONFIG_VHOST (distribution kernels have it).");
    }

    private static CheckResult VhostDevice(CheckContext context, string id, string module, string device, string impact, string remedy)
    {
        var status = context.Host.Modules.Resolve(module);
        var evidence = status.Evidence.ToList();
        var deviceExists = context.Probe.Exists(device);
        evidence.Add(new(device, deviceExists ? "present" : "absent"));
        if (status.Present && deviceExists)
        {
            return CheckResult.Create(id, CheckStatus.Pass, $"{status.Describe()}, {device} present", evidence);
        }

        var found = status.Present ? $"{status.Describe()} but {device} is absent" : status.Describe();
        return CheckResult.Create(id, CheckStatus.Warn, $"{found}. {impact}", evidence,
            status.Present ? $"Create the device node (udev normally does: udevadm trigger) or pass {device} into this container." : remedy);
    }
}
