namespace Sealpod.Vmm.Tests.CloudHypervisor;

/// <summary>The schema reader and validator the Cloud Hypervisor request checks rely on: it reads the real file, and it fails.</summary>
public sealed class OpenApiDocumentTests
{
    private const string SharedSchema = "conformance/cloud-hypervisor/cloud-hypervisor.yaml";

    private static readonly OpenApiDocument Schema = OpenApiDocument.Load(OpenApiDocument.SchemaPath);

    [Fact]
    public void Reads_the_endpoints_and_schemas_of_the_schema_file()
    {
        Assert.Contains("/vm.create", Schema.Paths);
        Assert.Contains("/vmm.ping", Schema.Paths);
        Assert.Contains("/vm.add-disk", Schema.Paths);
        Assert.Contains("VmConfig", Schema.SchemaNames);
        Assert.Contains("PlatformConfig", Schema.SchemaNames);
        Assert.Contains("TokenBucket", Schema.SchemaNames);
        Assert.Empty(Schema.ValidateSchema("PayloadConfig", Json("""{"igvm":"/a.igvm","host_data":"00"}""")));
    }

    // The checks run against the copy vendored in this repository (schema/), so a clone needs nothing beside it. Where
    // the project's reference copy is present (CI), it must be the same file: a newer Cloud Hypervisor schema there
    // means the vendored copy is stale.
    [SharedDataFact(SharedSchema)]
    public void The_vendored_schema_is_the_shared_reference_copy()
    {
        var shared = File.ReadAllBytes(SharedData.Find(SharedSchema)!);
        var vendored = File.ReadAllBytes(OpenApiDocument.VendoredSchemaPath);

        Assert.True(shared.AsSpan().SequenceEqual(vendored),
            $"{OpenApiDocument.VendoredSchemaPath} differs from {SharedData.Find(SharedSchema)}: copy the shared file into src/Vmm.Tests/CloudHypervisor/OpenApi/schema/ and update its README");
    }

    [Fact]
    public void Accepts_a_conforming_vm_create_body()
    {
        var body = Json("""
            {"cpus":{"boot_vcpus":1,"max_vcpus":2},"memory":{"size":1073741824},"payload":{"kernel":"/k","cmdline":"quiet"},
             "disks":[{"path":"/d.img","readonly":true,"id":"d0"}],"serial":{"mode":"File","file":"/c.log"},"console":{"mode":"Off"},
             "vsock":{"cid":3,"socket":"/v.sock"},"platform":{"tdx":true}}
            """);

        Assert.Empty(Schema.ValidateRequest("PUT", "/api/v1/vm.create", body));
    }

    [Theory]
    [InlineData("""{"payload":{"kernel":"/k"},"cpus":{"boot_vcpus":1}}""", "$.cpus: required member \"max_vcpus\" is missing")]
    [InlineData("""{"payload":{"kernel":"/k"},"memory":{"size":"1G"}}""", "$.memory.size: expected an integer, found \"1G\"")]
    [InlineData("""{"payload":{"kernel":"/k","initrd":"/i"}}""", "$.payload: member \"initrd\" is not in the schema")]
    [InlineData("""{"payload":{"kernel":"/k"},"serial":{"mode":"Serial"}}""", "$.serial.mode: \"Serial\" is not one of [Off, Pty, Tty, File, Socket, Null]")]
    [InlineData("""{"payload":{"kernel":"/k"},"vsock":{"cid":2,"socket":"/v"}}""", "$.vsock.cid: 2 is outside 3..9223372036854775807")]
    [InlineData("""{"payload":{"kernel":"/k"},"platform":{"num_pci_segments":70000}}""", "$.platform.num_pci_segments: 70000 is outside -32768..32767")]
    [InlineData("""{"payload":{"kernel":"/k"},"platform":{"uuid":"x"}}""", "$.platform.uuid: is deprecated")]
    [InlineData("""{"cpus":{"boot_vcpus":1,"max_vcpus":1}}""", "$: required member \"payload\" is missing")]
    public void Each_kind_of_mismatch_is_reported_at_its_path(string body, string error)
    {
        Assert.Equal([error], Schema.ValidateRequest("PUT", "/api/v1/vm.create", Json(body)));
    }

    [Fact]
    public void Bodies_must_match_the_operation()
    {
        Assert.Equal(["PUT /api/v1/vm.boot: the operation takes no body, but one was sent"], Schema.ValidateRequest("PUT", "/api/v1/vm.boot", Json("{}")));
        Assert.Equal(["PUT /api/v1/vm.create: the operation requires a body"], Schema.ValidateRequest("PUT", "/api/v1/vm.create", null));
        Assert.Equal(["GET /api/v1/vm.frobnicate: no such endpoint"], Schema.ValidateRequest("GET", "/api/v1/vm.frobnicate", null));
        Assert.Equal(["GET /api/v1/vm.boot: the endpoint has no GET operation"], Schema.ValidateRequest("GET", "/api/v1/vm.boot", null));
        Assert.Empty(Schema.ValidateRequest("GET", "/api/v1/vmm.ping", null));
    }

    [Fact]
    public void The_reader_refuses_what_it_does_not_understand_with_the_line()
    {
        Assert.Equal("line 2: anchors, aliases, tags and document markers are not supported", Assert.Throws<FormatException>(() => MiniYaml.Parse("a: 1\n&x b: 2\n")).Message);
        Assert.Equal("line 1: flow mappings are not supported", Assert.Throws<FormatException>(() => MiniYaml.Parse("a: {b: 1}\n")).Message);
        Assert.Equal("line 3: unexpected indentation", Assert.Throws<FormatException>(() => MiniYaml.Parse("a:\n  b: 1\n    c: 2\n")).Message);
        var parsed = Assert.IsType<YamlMapping>(MiniYaml.Parse("a: [x, 'y z', \"w\"] # c\nb: |\n  one\n  two\nc:\n  - d: 1\n    e: 2\n  - 3\n"));
        Assert.Equal(["x", "y z", "w"], Assert.IsType<YamlSequence>(parsed["a"]).Items.Cast<YamlScalar>().Select(s => s.Value));
        Assert.Equal("one\ntwo", parsed.Text("b"));
        var c = Assert.IsType<YamlSequence>(parsed["c"]);
        Assert.Equal("2", Assert.IsType<YamlMapping>(c.Items[0]).Text("e"));
        Assert.Equal("3", Assert.IsType<YamlScalar>(c.Items[1]).Value);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
