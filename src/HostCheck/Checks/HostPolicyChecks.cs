namespace Sealpod.HostCheck.Checks;

/// <summary>Host settings the CoCo guides ask for: SELinux off or permissive, and the cgroup hierarchy.</summary>
public sealed class HostPolicyChecks : SyncCheckGroup
{
    public const string SelinuxEnforce = "/sys/fs/selinux/enforce";

    public const string CgroupControllers = "/sys/fs/cgroup/cgroup.controllers";

    public const string HybridControllers = "/sys/fs/cgroup/unified/cgroup.controllers";

    protected override IReadOnlyList<CheckResult> Run(CheckContext context) => [Selinux(context), Cgroup(context)];

    private static CheckResult Selinux(CheckContext context)
    {
        var enforce = context.Probe.ReadFile(SelinuxEnforce);
        Evidence[] evidence = [new(SelinuxEnforce, enforce.Describe())];
        return enforce.Trimmed switch
        {
            null => CheckResult.Create(CheckIds.HostSelinux, CheckStatus.Pass, "SELinux is not enabled", evidence),
            "0" => CheckResult.Create(CheckIds.HostSelinux, CheckStatus.Pass, "SELinux is permissive", evidence),
            "1" => CheckResult.Create(CheckIds.HostSelinux, CheckStatus.Fail, "SELinux is enforcing", evidence,
                "The CoCo guides require SELinux disabled or permissive (confidential-containers/operator#115): "
                + "setenforce 0, and SELINUX=permissive in /etc/selinux/config to keep it after reboot."),
            var other => CheckResult.Create(CheckIds.HostSelinux, CheckStatus.Warn, $"unexpected SELinux enforce value '{other}'", evidence,
                "Check 'getenforce'; the CoCo guides require disabled or permissive."),
        };
    }

    private static CheckResult Cgroup(CheckContext context)
    {
        var unified = context.Probe.ReadFile(CgroupControllers);
        var evidence = new List<Evidence> { new(CgroupControllers, unified.Describe()) };
        if (unified.Ok)
        {
            return CheckResult.Create(CheckIds.HostCgroup, CheckStatus.Pass, "cgroup v2 (unified hierarchy)", evidence);
        }

        var hybrid = context.Probe.ReadFile(HybridControllers);
        evidence.Add(new(HybridControllers, hybrid.Describe()));
        const string Remedy = "Boot the host with systemd.unified_cgroup_hierarchy=1 (cgroup v2, what current containerd, "
            + "Kubernetes and the CoCo templates expect); cgroup v1 still works but is deprecated.";
        return CheckResult.Create(CheckIds.HostCgroup, CheckStatus.Warn,
            hybrid.Ok ? "cgroup v1 with a hybrid v2 mount (/sys/fs/cgroup/unified)" : "cgroup v1 (legacy hierarchy)", evidence, Remedy);
    }
}
