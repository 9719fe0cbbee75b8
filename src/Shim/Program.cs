using Sealpod.Shim.Hosting;

return await ShimProgram.RunAsync(args, Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.OpenStandardError()).ConfigureAwait(false);
