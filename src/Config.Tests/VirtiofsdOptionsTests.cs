namespace Sealpod.Config.Tests;

/// <summary>
/// Issue 12.4: <c>virtio_fs_extra_args</c> reaches a root virtiofsd on the host, so only tuning options are accepted,
/// from the file and from an annotation alike, and no shipped configuration lets a pod set it.
/// </summary>
public sealed class VirtiofsdOptionsTests
{
    private const string Annotation = KataAnnotations.HypervisorPrefix + "virtio_fs_extra_args";

    private static readonly SealpodConfiguration Enabled = Load.Text(Load.MinimalQemu + "enable_annotations = [\"virtio_fs_extra_args\"]\n");

    [Theory]
    [InlineData("[\"-o\", \"source=/\"]", "option \"-o source=/\"")]
    [InlineData("[\"-o\", \"xattr,source=/etc\"]", "option \"-o source=/etc\"")]
    [InlineData("[\"--shared-dir=/\"]", "option \"--shared-dir=/\"")]
    [InlineData("[\"--shared-dir\", \"/\"]", "option \"--shared-dir\"")]
    [InlineData("[\"--sandbox=none\"]", "option \"--sandbox=none\"")]
    [InlineData("[\"--seccomp=none\"]", "option \"--seccomp=none\"")]
    [InlineData("[\"-o\", \"sandbox=chroot\"]", "option \"-o sandbox=chroot\"")]
    [InlineData("[\"-o\", \"modcaps=+sys_admin\"]", "option \"-o modcaps=+sys_admin\"")]
    [InlineData("[\"--xattrmap=:map::user.virtiofs.:\"]", "option \"--xattrmap=:map::user.virtiofs.:\"")]
    [InlineData("[\"--socket-path=/run/other.sock\"]", "option \"--socket-path=/run/other.sock\"")]
    [InlineData("[\"--thread-pool-size=many\"]", "option \"--thread-pool-size=many\"")]
    [InlineData("[\"-o\"]", "\"-o\" is last")]
    public void Annotation_with_an_unsafe_option_is_refused_naming_the_annotation_and_the_option(string value, string named)
    {
        var e = Assert.Throws<ConfigurationException>(() => Enabled.WithAnnotations(new Dictionary<string, string> { [Annotation] = value }));

        Assert.StartsWith($"{Annotation}: {named}", Assert.Single(e.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_file_key_is_held_to_the_same_list_with_its_position()
    {
        var errors = Load.Errors(Load.MinimalQemu + "virtio_fs_extra_args = [\"--thread-pool-size=1\", \"-o\", \"source=/\"]\n");

        Assert.StartsWith("configuration.toml:4:24: hypervisor.qemu.virtio_fs_extra_args: option \"-o source=/\" is not allowed: expected only virtiofsd tuning options", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[\"--thread-pool-size=1\", \"-o\", \"announce_submounts\"]")]
    [InlineData("[\"-o\", \"xattr,cache=none\", \"--announce-submounts\", \"--allow-direct-io\"]")]
    [InlineData("[\"--cache=metadata\", \"--log-level=debug\", \"--posix-acl\", \"--xattr\", \"-o\", \"no_posix_lock\"]")]
    public void Tuning_options_are_accepted(string value)
    {
        var result = Enabled.WithAnnotations(new Dictionary<string, string> { [Annotation] = value });

        Assert.NotEmpty(result.Hypervisor.VirtioFsExtraArgs);
    }

    [Fact]
    public void No_shipped_configuration_lets_a_pod_set_virtiofsd_arguments()
    {
        var files = Directory.GetFiles(Repository.Configs, "*.toml");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var config = ConfigurationLoader.LoadText(File.ReadAllText(file), file);
            Assert.False(new AnnotationAllowList(config.Hypervisor.EnableAnnotations).IsEnabled("virtio_fs_extra_args"), file);
        }
    }
}
