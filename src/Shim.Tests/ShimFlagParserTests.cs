namespace Sealpod.Shim.Tests;

public sealed class ShimFlagParserTests
{
    [Fact]
    public void Containerd_1_6_start_command_line()
    {
        var flags = ShimFlagParser.Parse(["-namespace", "k8s.io", "-address", "/run/containerd/containerd.sock", "-publish-binary", "/usr/bin/containerd", "-id", "abc", "-debug", "start"]);

        Assert.Equal(("k8s.io", "/run/containerd/containerd.sock", "/usr/bin/containerd", "abc"), (flags.Namespace, flags.Address, flags.PublishBinary, flags.Id));
        Assert.True(flags.Debug);
        Assert.Equal("start", flags.Action);
        Assert.Empty(flags.Ignored);
    }

    [Fact]
    public void Delete_gets_the_bundle()
    {
        var flags = ShimFlagParser.Parse(["-namespace", "default", "-address", "/a", "-publish-binary", "/p", "-id", "demo", "-bundle", "/run/containerd/io.containerd.runtime.v2.task/default/demo", "delete"]);

        Assert.Equal("/run/containerd/io.containerd.runtime.v2.task/default/demo", flags.Bundle);
        Assert.Equal("delete", flags.Action);
    }

    [Theory]
    [InlineData("--namespace", "ns")]
    [InlineData("-namespace=ns", null)]
    [InlineData("--namespace=ns", null)]
    public void Go_flag_spellings_are_equivalent(string first, string? second)
    {
        string[] args = second is null ? [first, "-id", "x"] : [first, second, "-id", "x"];

        var flags = ShimFlagParser.Parse(args);

        Assert.Equal("ns", flags.Namespace);
        Assert.Equal("x", flags.Id);
        Assert.Equal(string.Empty, flags.Action);
    }

    [Fact]
    public void Unknown_flags_with_and_without_values_are_skipped()
    {
        var flags = ShimFlagParser.Parse(["-namespace", "n", "-debug-socket", "/x", "-future-flag", "value", "-future-bool", "-other=1", "-id", "i", "start"]);

        Assert.Equal(("n", "i", "start"), (flags.Namespace, flags.Id, flags.Action));
        Assert.Equal(["-future-flag", "value", "-future-bool", "-other=1"], flags.Ignored);
    }

    [Fact]
    public void An_unknown_flag_right_before_the_action_does_not_swallow_it()
    {
        var flags = ShimFlagParser.Parse(["-id", "i", "-new-bool", "delete"]);

        Assert.Equal("delete", flags.Action);
    }

    [Theory]
    [InlineData("-debug=false", false)]
    [InlineData("-debug=1", true)]
    [InlineData("-debug=T", true)]
    [InlineData("-debug", true)]
    public void Booleans_follow_go_parse_bool(string arg, bool expected) =>
        Assert.Equal(expected, ShimFlagParser.Parse([arg]).Debug);

    [Fact]
    public void Version_info_and_the_daemon_flags_parse()
    {
        Assert.True(ShimFlagParser.Parse(["-v"]).Version);
        Assert.True(ShimFlagParser.Parse(["-info"]).Info);
        var daemon = ShimFlagParser.Parse(["-namespace", "n", "-id", "i", "-socket", "unix:///run/containerd/s/ab", "-listen-fd", "3"]);
        Assert.Equal(("unix:///run/containerd/s/ab", 3), (daemon.Socket, daemon.ListenFd));
        Assert.Equal(string.Empty, daemon.Action);
    }

    [Theory]
    [InlineData(new[] { "-namespace" }, "flag needs an argument: -namespace")]
    [InlineData(new[] { "-debug=maybe" }, "invalid boolean value")]
    [InlineData(new[] { "-listen-fd", "three" }, "invalid value \"three\" for flag -listen-fd")]
    public void Malformed_known_flags_are_errors(string[] args, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ShimFlagParser.Parse(args));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parsing_stops_at_double_dash()
    {
        var flags = ShimFlagParser.Parse(["-id", "i", "--", "-namespace"]);

        Assert.Equal("-namespace", flags.Action);
        Assert.Equal(string.Empty, flags.Namespace);
    }
}
