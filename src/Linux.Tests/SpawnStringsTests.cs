namespace Sealpod.Linux.Tests;

public sealed unsafe class SpawnStringsTests
{
    [Fact]
    public void A_vector_holds_each_string_nul_terminated_and_ends_with_null()
    {
        using var strings = new SpawnStrings();

        byte** vector = strings.Vector(["/bin/echo", "grüße", string.Empty]);

        Assert.Equal("/bin/echo", Marshal.PtrToStringUTF8((nint)vector[0]));
        Assert.Equal("grüße", Marshal.PtrToStringUTF8((nint)vector[1]));
        Assert.Equal(0, vector[2][0]);
        Assert.True(vector[3] == null);
    }

    [Fact]
    public void A_string_with_a_nul_character_is_refused()
    {
        using var strings = new SpawnStrings();

        var error = Assert.Throws<ArgumentException>(() => strings.Vector(["ok", "A=1\0B=2"]));

        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
    }
}
