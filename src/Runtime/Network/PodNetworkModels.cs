namespace Sealpod.Runtime.Network;

/// <summary>The <see cref="IPodNetworkModel"/> for a configured <c>internetworking_model</c>.</summary>
public static class PodNetworkModels
{
    public static IPodNetworkModel For(InternetworkingModel model) => model switch
    {
        InternetworkingModel.TcFilter => new TcFilterNetwork(),
        InternetworkingModel.None => new NoPodNetwork(),
        InternetworkingModel.MacVtap => throw new UnimplementedException(
            "runtime.internetworking_model: \"macvtap\" is not supported by Sealpod; expected \"tcfilter\" (the default) or \"none\""),
        _ => throw new InvalidArgumentException($"runtime.internetworking_model: {model} is not a model Sealpod knows; expected \"tcfilter\" or \"none\""),
    };
}
