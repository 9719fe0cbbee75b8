namespace Sealpod.Linux.Tests.Netlink;

/// <summary>
/// Work on a route netlink socket opened inside a network namespace: rtnetlink acts on the namespace its socket was
/// opened in, so the socket is opened on the namespace's thread and closed before the thread leaves it.
/// </summary>
internal static class RouteNetlinkIn
{
    public static Task<T> RunAsync<T>(string namespacePath, Func<RouteNetlink, T> work) =>
        NetworkNamespace.RunAsync(namespacePath, () =>
        {
            using var netlink = RouteNetlink.Open();
            return work(netlink);
        });

    public static Task RunAsync(string namespacePath, Action<RouteNetlink> work) =>
        RunAsync(namespacePath, netlink =>
        {
            work(netlink);
            return true;
        });
}
