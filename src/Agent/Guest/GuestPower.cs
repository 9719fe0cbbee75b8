namespace Sealpod.Agent.Guest;

/// <summary>
/// How the agent, as PID 1, fails the boot: the VM powers off once the console has shown why, and the host sees it end
/// at once (QEMU exits with a guest shutdown) instead of waiting out its dial timeout. Kata's agent exits instead and
/// the kernel's panic reboots the VM, but a panic can overtake the console output that explains it.
/// </summary>
internal static class GuestPower
{
    /// <summary>Drains the console, syncs and powers off; returns only if the kernel refused.</summary>
    public static void PowerOff(ILogger log)
    {
        Console.Error.Flush();

        // tcdrain(2): the console is a serial port, and what sits in its transmit buffer at power-off is lost.
        // ENOTTY when stderr is not a terminal is fine: there is nothing to wait for then.
        if (LibC.Ioctl(2, LibC.TCSBRK, 1) != 0)
        {
            _ = Marshal.GetLastPInvokeError();
        }

        LibC.Sync();
        if (LibC.Reboot(LibC.RB_POWER_OFF) != 0)
        {
            log.LogError("power-off failed: errno {Errno}", Marshal.GetLastPInvokeError());
        }
    }
}
