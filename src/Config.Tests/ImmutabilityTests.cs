using System.Reflection;

namespace Sealpod.Config.Tests;

/// <summary>Configuration records cannot change after loading: no public setters, immutable collections, copy-on-write.</summary>
public sealed class ImmutabilityTests
{
    private static readonly Type[] Records =
    [
        typeof(SealpodConfiguration), typeof(HypervisorConfig), typeof(QemuConfig), typeof(CloudHypervisorConfig),
        typeof(AgentConfig), typeof(RuntimeConfig), typeof(FactoryConfig), typeof(ImageConfig), typeof(ConfigurationDiagnostic),
    ];

    [Fact]
    public void No_record_exposes_a_public_setter_that_works_after_construction()
    {
        foreach (var type in Records)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var setter = property.SetMethod;
                if (setter is null || !setter.IsPublic)
                {
                    continue;
                }

                // An init accessor carries the IsExternalInit modifier on its return parameter.
                var isInit = setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");
                Assert.True(isInit, $"{type.Name}.{property.Name} has a public setter");
            }
        }
    }

    [Fact]
    public void Collections_are_immutable_types()
    {
        var mutable = Records
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => (t, p)))
            .Where(x => x.p.PropertyType.IsGenericType && x.p.PropertyType.GetGenericTypeDefinition() is var g
                && (g == typeof(List<>) || g == typeof(Dictionary<,>) || g == typeof(HashSet<>)))
            .Select(x => $"{x.t.Name}.{x.p.Name}");

        Assert.Empty(mutable);
        Assert.True(Load.Text(Load.MinimalQemu).UnmodelledKeys.GetType().Namespace == "System.Collections.Frozen");
    }

    [Fact]
    public void With_copies_and_records_compare_by_value()
    {
        var a = Load.Text(Load.MinimalQemu + "enable_annotations = [\"kernel_params\"]\n");
        var b = Load.Text(Load.MinimalQemu + "enable_annotations = [\"kernel_params\"]\n");

        Assert.Equal(a.Hypervisor, b.Hypervisor);
        Assert.Equal(a.Agent, b.Agent);
        Assert.Equal(a.Runtime, b.Runtime);

        var changed = a.Hypervisor with { DefaultMemoryMiB = 512 };
        Assert.NotEqual(a.Hypervisor, changed);
        Assert.Equal(2048, a.Hypervisor.DefaultMemoryMiB);
        Assert.IsType<QemuConfig>(changed);
    }

    [Fact]
    public void The_jaeger_password_never_appears_in_ToString()
    {
        var config = Load.Text(Load.MinimalQemu + "[runtime]\njaeger_password = \"hunter2\"\n");

        Assert.Equal("hunter2", config.Runtime.JaegerPassword);
        Assert.DoesNotContain("hunter2", config.Runtime.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", config.ToString(), StringComparison.Ordinal);
        Assert.Contains("JaegerPassword = ***", config.Runtime.ToString(), StringComparison.Ordinal);
    }
}
