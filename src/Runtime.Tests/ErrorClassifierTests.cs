using Sealpod.Rpc;

namespace Sealpod.Runtime.Tests;

public sealed class ErrorClassifierTests
{
    public static TheoryData<Exception, StatusCode> Cases => new()
    {
        { new NotFoundException("x"), StatusCode.NotFound },
        { new AlreadyExistsException("x"), StatusCode.AlreadyExists },
        { new FailedPreconditionException("x"), StatusCode.FailedPrecondition },
        { new InvalidArgumentException("x"), StatusCode.InvalidArgument },
        { new UnavailableException("x"), StatusCode.Unavailable },
        { new UnimplementedException("x"), StatusCode.Unimplemented },
        { new DeadlineExceededException("x"), StatusCode.DeadlineExceeded },
        { new AgentUnreachableException("agent did not answer within 45 s; guest console tail: ..."), StatusCode.Unavailable },
        { new RpcException(StatusCode.NotFound, "container c not found"), StatusCode.NotFound },
        { new ConfigurationException("bad"), StatusCode.InvalidArgument },
        { new HypervisorConfigurationException("hypervisor.qemu.machine_type", "no"), StatusCode.InvalidArgument },
        { new HypervisorStartException("qemu died"), StatusCode.Unknown },
        { new TimeoutException(), StatusCode.DeadlineExceeded },
        { new OperationCanceledException(), StatusCode.Cancelled },
        { new NotSupportedException(), StatusCode.Unimplemented },
        { new IOException("disk"), StatusCode.Unknown },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_kind_maps_to_its_status_code(Exception error, StatusCode expected) =>
        Assert.Equal(expected, ErrorClassifier.ToStatusCode(error));

    [Fact]
    public void The_answer_keeps_the_cause_in_its_message()
    {
        var answer = ErrorClassifier.ToRpcException(new AgentUnreachableException("agent did not answer within 45 s; guest console tail:\nKernel panic"));

        Assert.Equal(StatusCode.Unavailable, answer.StatusCode);
        Assert.Contains("guest console tail", answer.Message, StringComparison.Ordinal);
        Assert.Equal("guest agent: no such process", ErrorClassifier.ToMessage(new RpcException(StatusCode.NotFound, "no such process")));
    }
}
