using System.Globalization;
using System.Text.RegularExpressions;
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
        var patchLine = Regex.Match(GuestVm.ConsoleTail(vm.Hypervisor, 2000), @"APIC: timer input clock 1000000 kHz from the command line, period ([0-9]+)");
        Assert.True(patchLine.Success == tcg, $"the patch's line on the console: {patchLine.Success}, expected under TCG only (accelerator {vm.Hypervisor.Accelerator?.Accelerator})");

        double hostBefore = HostNow();
        var (stdout, status) = await vm.RunToEndAsync("clock", ["sh", "-c",
            $"date +%s; cut -d' ' -f1 /proc/uptime; grep LOC: /proc/interrupts; sleep {SleepSeconds}; " +
            "date +%s; cut -d' ' -f1 /proc/uptime; grep LOC: /proc/interrupts; " +
            "awk '/^now at/ { now = $3 } /^jiffies:/ { print now, $2; exit }' /guest-proc/timer_list"],
            [GuestVm.GuestBind("/proc", "/guest-proc", recursive: true)], timeout.Token);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        double hostAfter = HostNow();
        await vm.Agent.RemoveContainerAsync("clock", TimeSpan.FromSeconds(10), timeout.Token);
        output.WriteLine($"accelerator: {vm.Hypervisor.Accelerator?.Accelerator}; host {hostBefore:0.00} .. {hostAfter:0.00}; guest:\n{string.Join('\n', lines)}");

        Assert.Equal(0, status);
        Assert.Equal(7, lines.Length);
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

        // The patch's period is one tick of a 1 GHz clock: 10^9 / HZ, for the guest kernel's own HZ.
        if (tcg)
        {
            int hz = GuestHz(lines[6]);
            Assert.Equal(1_000_000_000L / hz, long.Parse(patchLine.Groups[1].Value, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// The guest kernel's HZ from one read of /proc/timer_list ("now at N nsecs" and "jiffies: J"): jiffies start at
    /// 2^32 - 300 * HZ (INITIAL_JIFFIES, so they wrap 300 s after boot) and count HZ a second, so
    /// HZ = (2^32 - J) / (300 - now). The first ticks before the tick device runs make it a fraction of a tick off.
    /// </summary>
    private static int GuestHz(string line)
    {
        var fields = line.Split(' ');
        double now = long.Parse(fields[0], CultureInfo.InvariantCulture) / 1e9;
        long jiffies = long.Parse(fields[1], CultureInfo.InvariantCulture);
        Assert.True(now < 250, $"the guest has been up {now:0} s: its jiffies may have wrapped");
        double hz = ((1L << 32) - jiffies) / (300 - now);
        int nearest = new[] { 100, 250, 300, 1000 }.MinBy(h => Math.Abs(h - hz));
        Assert.True(Math.Abs(nearest - hz) < nearest * 0.02, $"HZ {hz:0.0} from '{line}' is none of the kernel's choices");
        return nearest;
    }

    private static double HostNow() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    // "LOC:  1234  5678  Local timer interrupts": the per-CPU counts.
    private static long LocalTimerInterrupts(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Skip(1).TakeWhile(field => field.All(char.IsAsciiDigit)).Sum(field => long.Parse(field, CultureInfo.InvariantCulture));
}
