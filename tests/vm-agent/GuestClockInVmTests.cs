using System.Globalization;
using Sealpod.Vmm.Acceleration;

namespace Sealpod.VmAgent.IntegrationTests;

/// <summary>
/// The guest's clock and timers under the command line the driver renders. Under TCG that line gives Sealpod's kernel
/// the local APIC timer's clock (<c>lapic_bus_khz</c>, guest/kernel/patches) instead of letting it measure the clock
/// for 100 ms: a wrong value would fire every timer early or late, and an earlier shortcut (<c>noapictimer</c>) made
/// one boot in six jump the guest clock by ~40 s. So: wall time agrees with the host, a sleep ends when it should by
/// the guest's clock and by the host's, and the local APIC timer interrupts are the ones that tick.
/// </summary>
public sealed class GuestClockInVmTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const double SleepSeconds = 3;

    [Fact]
    public async Task The_guest_clock_keeps_host_time_and_a_sleep_ends_on_time_by_the_local_apic_timer()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        // loglevel=7: the kernel's informational lines reach the console, among them the patch's.
        await using var vm = await GuestVm.BootAsync("clock", extraKernelParameters: ["loglevel=7"], cancellationToken: timeout.Token);
        var tcg = vm.Hypervisor.Accelerator?.Accelerator == Accelerator.Tcg;
        if (tcg)
        {
            Assert.Contains("APIC: timer input clock 1000000 kHz from the command line", GuestVm.ConsoleTail(vm.Hypervisor, 2000));
        }

        double hostBefore = HostNow();
        await vm.RunContainerAsync("clock", ["sh", "-c",
            $"date +%s; cut -d' ' -f1 /proc/uptime; grep LOC: /proc/interrupts; sleep {SleepSeconds}; " +
            "date +%s; cut -d' ' -f1 /proc/uptime; grep LOC: /proc/interrupts"], cancellationToken: timeout.Token);
        var lines = Encoding.UTF8.GetString(await vm.ReadAllAsync("clock", string.Empty, cancellationToken: timeout.Token))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int status = await vm.Agent.WaitProcessAsync("clock", string.Empty, timeout.Token);
        double hostAfter = HostNow();
        await vm.Agent.RemoveContainerAsync("clock", TimeSpan.FromSeconds(10), timeout.Token);
        output.WriteLine($"accelerator: {vm.Hypervisor.Accelerator?.Accelerator}; host {hostBefore:0.00} .. {hostAfter:0.00}; guest:\n{string.Join('\n', lines)}");

        Assert.Equal(0, status);
        Assert.Equal(6, lines.Length);
        long dateBefore = long.Parse(lines[0], CultureInfo.InvariantCulture), dateAfter = long.Parse(lines[3], CultureInfo.InvariantCulture);
        double uptimeBefore = double.Parse(lines[1], CultureInfo.InvariantCulture), uptimeAfter = double.Parse(lines[4], CultureInfo.InvariantCulture);

        // The guest's wall clock starts from the RTC (whole seconds) and must stay with the host's: a jump (the
        // 40 s of a missed 32-bit HPET wrap) or a clock running fast or slow shows here.
        Assert.InRange(dateBefore, Math.Floor(hostBefore) - 2, Math.Ceiling(hostAfter) + 2);
        Assert.InRange(dateAfter, Math.Floor(hostBefore) + SleepSeconds - 2, Math.Ceiling(hostAfter) + 2);

        // The sleep ends on time by the guest's clock (a timer programmed with a wrong APIC period fires late; early
        // it is re-armed), and the guest's clock does not run ahead of the host's.
        double slept = uptimeAfter - uptimeBefore;
        Assert.InRange(slept, SleepSeconds, SleepSeconds + 2); // a period 1.7x too long ends it 2 s late; lateness below that is a loaded host
        Assert.True(slept <= hostAfter - hostBefore + 0.5, $"the guest counted {slept:0.00} s in {hostAfter - hostBefore:0.00} s of the host's");

        // The local APIC timer is the tick (not only a broadcast device): its interrupts counted during the sleep.
        Assert.True(LocalTimerInterrupts(lines[5]) > LocalTimerInterrupts(lines[2]), $"no local timer interrupts during the sleep: '{lines[2]}' then '{lines[5]}'");
    }

    private static double HostNow() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    // "LOC:  1234  5678  Local timer interrupts": the per-CPU counts.
    private static long LocalTimerInterrupts(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Skip(1).TakeWhile(field => field.All(char.IsAsciiDigit)).Sum(field => long.Parse(field, CultureInfo.InvariantCulture));
}
