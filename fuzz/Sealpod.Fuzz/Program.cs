using SharpFuzz;
using Sealpod.Fuzz;

// Sealpod.Fuzz list                       the targets
// Sealpod.Fuzz afl TARGET                 under afl-fuzz (SharpFuzz's persistent loop; instrumented copies only)
// Sealpod.Fuzz replay TARGET PATH...      each file (or every file of a folder) once, without AFL: says parsed or refused (why), exit 1 on a crash
// Sealpod.Fuzz seed CORPUS                writes the binary seeds (Seeds.cs) under CORPUS/TARGET/
switch (args)
{
    case ["list"]:
        foreach (var target in FuzzTargets.All)
        {
            Console.WriteLine($"{target.Name,-16} {target.Description}");
        }

        return 0;
    case ["seed", var corpus]:
        Seeds.Write(corpus);
        return 0;
    case ["afl", var name]:
    {
        var target = FuzzTargets.Find(name);
        if (target is null)
        {
            return Unknown(name);
        }

        Fuzzer.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target.RunOne(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        });
        return 0;
    }

    case ["replay", var name, .. var paths]:
    {
        var target = FuzzTargets.Find(name);
        if (target is null)
        {
            return Unknown(name);
        }

        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p) : [p]).Order(StringComparer.Ordinal).ToList();
        var crashes = 0;
        foreach (var file in files)
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
                Console.WriteLine($"{file}: parsed");
            }
            catch (Exception e) when (target.IsDocumented(e))
            {
                Console.WriteLine($"{file}: refused ({e.GetType().Name}: {e.Message})");
            }
            catch (Exception e)
            {
                crashes++;
                Console.Error.WriteLine($"{file}: CRASH {e}");
            }
        }

        Console.WriteLine($"{name}: {files.Count} inputs, {crashes} crashes");
        return crashes == 0 ? 0 : 1;
    }

    default:
        Console.Error.WriteLine("usage: Sealpod.Fuzz list | afl TARGET | replay TARGET PATH...");
        return 2;
}

static int Unknown(string name)
{
    Console.Error.WriteLine($"unknown fuzz target '{name}'; `Sealpod.Fuzz list` names them");
    return 2;
}
