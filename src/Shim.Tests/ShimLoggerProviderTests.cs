using System.Text;
using Microsoft.Extensions.Logging;
using Sealpod.Shim.Logging;

namespace Sealpod.Shim.Tests;

public sealed class ShimLoggerProviderTests
{
    [Fact]
    public void Lines_are_logrus_text_with_escaped_messages_and_the_shims_fields()
    {
        var output = new MemoryStream();
        var time = new FixedTime(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using (var provider = new ShimLoggerProvider(new KeepOpenStream(output), LogLevel.Information, "runtime=io.containerd.sealpod.v2 id=c1", time))
        {
            var logger = provider.CreateLogger("Sealpod.Shim.TaskService");
            logger.LogDebug("not written");
            logger.LogWarning("Create c1 failed: \"quoted\"\nsecond line");
            logger.LogError(new IOException("disk full"), "cannot write");
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("time=\"2025-01-02T03:04:05.0000000Z\" level=warning msg=\"Create c1 failed: \\\"quoted\\\"\\nsecond line\" runtime=io.containerd.sealpod.v2 id=c1 source=TaskService", lines[0]);
        Assert.StartsWith("time=\"2025-01-02T03:04:05.0000000Z\" level=error msg=\"cannot write: disk full\" error=\"System.IO.IOException: disk full", lines[1], StringComparison.Ordinal);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    // The provider closes its stream on dispose; the test still wants to read it.
    private sealed class KeepOpenStream(MemoryStream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
