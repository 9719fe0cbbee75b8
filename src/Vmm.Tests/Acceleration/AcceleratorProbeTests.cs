namespace Sealpod.Vmm.Tests.Acceleration;

public sealed class AcceleratorProbeTests : TempDirectoryTest
{
    /// <summary>
    /// A probe's options over a fake /sys/module. With <paramref name="workingDevice"/> the device check is a stand-in
    /// that reports a working KVM device, so the decisions after it are tested on every host, with or without
    /// /dev/kvm; otherwise the real check runs against <paramref name="kvm"/>.
    /// </summary>
    private AcceleratorProbeOptions Options(string? environment = null, string kvm = "/dev/kvm", bool pvm = false, bool cache = true, bool workingDevice = false)
    {
        var sys = Temp.File("sys-module");
        Directory.CreateDirectory(Path.Combine(sys, "kvm"));
        if (pvm)
        {
            Directory.CreateDirectory(Path.Combine(sys, "kvm_pvm"));
        }

        return new AcceleratorProbeOptions
        {
            KvmDevicePath = kvm,
            SysModulePath = sys,
            CacheDirectory = cache ? Temp.File("cache") : null,
            GetEnvironmentVariable = name => name == AcceleratorProbeOptions.OverrideVariable ? environment : null,
            CheckKvmDevice = workingDevice ? _ => null : KvmProbe.Check,
        };
    }

    [Theory]
    [InlineData("tcg", Accelerator.Tcg)]
    [InlineData("KVM", Accelerator.Kvm)]
    [InlineData(" tcg ", Accelerator.Tcg)]
    public async Task The_environment_forces_the_choice(string value, Accelerator expected)
    {
        var probe = new AcceleratorProbe(Options(value, kvm: "/nonexistent/kvm"));
        var decision = await probe.DecideAsync(new AcceleratorProbeRequest { Preference = AcceleratorPreference.Tcg });

        Assert.Equal(expected, decision.Accelerator);
        Assert.Equal(AcceleratorDecisionSource.Override, decision.Source);
        Assert.Equal($"forced by SEALPOD_ACCEL={value.Trim()}", decision.Reason);
    }

    [Fact]
    public async Task An_invalid_override_is_an_error_naming_the_variable()
    {
        var probe = new AcceleratorProbe(Options("hvf"));
        var error = await Assert.ThrowsAsync<HypervisorException>(() => probe.DecideAsync(new AcceleratorProbeRequest()));
        Assert.Contains("SEALPOD_ACCEL='hvf' is invalid: expected kvm, tcg or auto", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_configuration_forces_the_choice_when_the_environment_does_not()
    {
        var probe = new AcceleratorProbe(Options(kvm: "/nonexistent/kvm"));
        var decision = await probe.DecideAsync(new AcceleratorProbeRequest { Preference = AcceleratorPreference.Kvm });
        Assert.Equal(new AcceleratorDecision(Accelerator.Kvm, "forced by the configuration", AcceleratorDecisionSource.Override), decision);
    }

    [Fact]
    public async Task Auto_in_the_environment_overrides_a_forced_configuration_back_to_probing()
    {
        var probe = new AcceleratorProbe(Options("auto", kvm: "/nonexistent/kvm"));
        var decision = await probe.DecideAsync(new AcceleratorProbeRequest { Preference = AcceleratorPreference.Kvm });
        Assert.Equal(Accelerator.Tcg, decision.Accelerator);
        Assert.Equal(AcceleratorDecisionSource.Probe, decision.Source);
    }

    [Fact]
    public async Task No_kvm_device_means_tcg_and_says_so()
    {
        var logger = new ListLogger<AcceleratorProbe>();
        var probe = new AcceleratorProbe(Options(kvm: "/nonexistent/kvm"), logger: logger);
        var decision = await probe.DecideAsync(new AcceleratorProbeRequest());

        Assert.Equal(Accelerator.Tcg, decision.Accelerator);
        Assert.Equal("KVM is not usable: /nonexistent/kvm does not exist", decision.Reason);
        Assert.Contains("Information: accelerator TCG: KVM is not usable: /nonexistent/kvm does not exist (Probe)", logger.Lines);
    }

    [Fact]
    public async Task A_file_that_is_not_a_kvm_device_means_tcg()
    {
        var fake = Temp.File("kvm");
        await File.WriteAllTextAsync(fake, "not a device");
        var decision = await new AcceleratorProbe(Options(kvm: fake)).DecideAsync(new AcceleratorProbeRequest());

        Assert.Equal(Accelerator.Tcg, decision.Accelerator);
        Assert.StartsWith($"KVM is not usable: {fake} is not a KVM device (KVM_GET_API_VERSION: ", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pvm_based_kvm_is_refused_without_a_boot_test()
    {
        var bootTest = new CountingBootTest(booted: true);
        var decision = await new AcceleratorProbe(Options(pvm: true, workingDevice: true), bootTest).DecideAsync(new AcceleratorProbeRequest { KernelPath = "/k" });

        Assert.Equal(Accelerator.Tcg, decision.Accelerator);
        Assert.Contains("PVM-based /dev/kvm cannot boot stock guest kernels", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(0, bootTest.Runs);
    }

    [Fact]
    public async Task A_pvm_module_without_a_kvm_device_means_tcg_naming_the_missing_device()
    {
        // A host (or a container) where kvm_pvm is loaded but /dev/kvm is absent: the device is what is missing.
        var bootTest = new CountingBootTest(booted: true);
        var decision = await new AcceleratorProbe(Options(kvm: "/nonexistent/kvm", pvm: true), bootTest).DecideAsync(new AcceleratorProbeRequest { KernelPath = "/k" });

        Assert.Equal(new AcceleratorDecision(Accelerator.Tcg, "KVM is not usable: /nonexistent/kvm does not exist", AcceleratorDecisionSource.Probe), decision);
        Assert.Equal(0, bootTest.Runs);
    }

    [Fact]
    public async Task A_working_kvm_without_a_boot_test_is_trusted()
    {
        var decision = await new AcceleratorProbe(Options(workingDevice: true)).DecideAsync(new AcceleratorProbeRequest { KernelPath = "/k" });
        Assert.Equal(new AcceleratorDecision(Accelerator.Kvm, "/dev/kvm creates VMs (no boot test configured)", AcceleratorDecisionSource.Probe), decision);
    }

    [Fact]
    public async Task A_boot_test_verdict_is_cached_per_kernel_file()
    {
        var kernel = Temp.File("vmlinuz");
        await File.WriteAllTextAsync(kernel, "kernel v1");
        var bootTest = new CountingBootTest(booted: false);
        var probe = new AcceleratorProbe(Options(workingDevice: true), bootTest);
        var request = new AcceleratorProbeRequest { KernelPath = kernel };

        var first = await probe.DecideAsync(request);
        Assert.Equal(Accelerator.Tcg, first.Accelerator);
        Assert.Equal(AcceleratorDecisionSource.Probe, first.Source);
        Assert.Equal("vmlinuz did not boot under KVM in a test boot (test verdict)", first.Reason);

        var second = await new AcceleratorProbe(Options(workingDevice: true), bootTest).DecideAsync(request);
        Assert.Equal(first with { Source = AcceleratorDecisionSource.Cache }, second);
        Assert.Equal(1, bootTest.Runs);

        // A different kernel file is a different question.
        await File.WriteAllTextAsync(kernel, "kernel v2, longer");
        bootTest.Booted = true;
        var third = await probe.DecideAsync(request);
        Assert.Equal(Accelerator.Kvm, third.Accelerator);
        Assert.Equal(AcceleratorDecisionSource.Probe, third.Source);
        Assert.Equal(2, bootTest.Runs);
    }

    [Fact]
    public async Task Without_a_cache_directory_every_decision_runs_the_boot_test()
    {
        var kernel = Temp.File("vmlinuz");
        await File.WriteAllTextAsync(kernel, "k");
        var bootTest = new CountingBootTest(booted: true);
        var probe = new AcceleratorProbe(Options(cache: false, workingDevice: true), bootTest);
        await probe.DecideAsync(new AcceleratorProbeRequest { KernelPath = kernel });
        await probe.DecideAsync(new AcceleratorProbeRequest { KernelPath = kernel });
        Assert.Equal(2, bootTest.Runs);
    }

    [Fact]
    public async Task This_machine_gets_a_decision_with_a_reason_that_matches_its_kvm()
    {
        var logger = new ListLogger<AcceleratorProbe>();
        var probe = new AcceleratorProbe(
            new AcceleratorProbeOptions { CacheDirectory = Temp.File("cache"), GetEnvironmentVariable = _ => null },
            logger: logger);
        var decision = await probe.DecideAsync(new AcceleratorProbeRequest());

        // What this host has, read independently of the decision. The device comes first: a host may have kvm_pvm
        // loaded and no usable /dev/kvm (a container without the device), and then the device is the reason.
        if (KvmProbe.Check("/dev/kvm") is { } problem)
        {
            Assert.Equal(new AcceleratorDecision(Accelerator.Tcg, "KVM is not usable: " + problem, AcceleratorDecisionSource.Probe), decision);
        }
        else if (Directory.Exists("/sys/module/kvm_pvm"))
        {
            // The development machine: a PVM-based /dev/kvm that hangs stock kernels.
            Assert.Equal(Accelerator.Tcg, decision.Accelerator);
            Assert.Contains("PVM-based /dev/kvm cannot boot stock guest kernels", decision.Reason, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(new AcceleratorDecision(Accelerator.Kvm, "/dev/kvm creates VMs (no boot test configured)", AcceleratorDecisionSource.Probe), decision);
        }

        Assert.Single(logger.Lines, line => line.Contains(decision.Reason, StringComparison.Ordinal));
    }

    private sealed class CountingBootTest(bool booted) : IGuestBootTest
    {
        public bool Booted { get; set; } = booted;

        public int Runs { get; private set; }

        public string Identity => "counting-boot-test";

        public Task<GuestBootTestResult> RunAsync(Accelerator accelerator, string kernelPath, string workDirectory, CancellationToken cancellationToken = default)
        {
            Assert.Equal(Accelerator.Kvm, accelerator);
            Assert.True(Directory.Exists(workDirectory));
            Runs++;
            return Task.FromResult(new GuestBootTestResult(Booted, "test verdict"));
        }
    }
}
