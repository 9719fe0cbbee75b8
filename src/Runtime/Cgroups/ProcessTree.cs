namespace Sealpod.Runtime.Cgroups;

/// <summary>
/// A process and its descendants, from /proc/&lt;pid&gt;/task/&lt;tid&gt;/children: C virtiofsd forks into its sandbox
/// namespaces and the forked child does the work, so moving the recorded pid alone would leave the worker behind.
/// </summary>
internal static class ProcessTree
{
    public static IReadOnlyList<int> WithDescendants(int pid)
    {
        var found = new List<int>();
        var pending = new Stack<int>([pid]);
        while (pending.Count > 0)
        {
            int next = pending.Pop();
            if (found.Contains(next))
            {
                continue;
            }

            found.Add(next);
            string tasks = $"/proc/{next}/task";
            IEnumerable<string> threads;
            try
            {
                threads = Directory.EnumerateDirectories(tasks).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var thread in threads)
            {
                try
                {
                    foreach (var child in File.ReadAllText(Path.Combine(thread, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        pending.Push(int.Parse(child, NumberStyles.None, CultureInfo.InvariantCulture));
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The thread or process exited while being read.
                }
            }
        }

        return found;
    }
}
