namespace Sealpod.Config;

/// <summary>One guest kernel command-line parameter: <c>key</c> or <c>key=value</c> (the value may keep its double quotes).</summary>
public readonly record struct KernelParameter(string Key, string? Value)
{
    public override string ToString() => Value is null ? Key : $"{Key}={Value}";
}
