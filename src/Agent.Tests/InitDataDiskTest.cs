using Sealpod.Agent.InitData;

namespace Sealpod.Agent.Tests;

/// <summary>
/// A test class whose tests give the agent's Init-Data step a /dev of their own (<see cref="Dev"/>, under the test's
/// directory) holding disks the host side's writer (<see cref="InitDataImage"/>) produced.
/// </summary>
public abstract class InitDataDiskTest : TempDirectoryTest
{
    /// <summary>A document with what a CoCo guest reads from Init-Data: the attestation agent's, CDH's and the policy's files.</summary>
    protected static readonly InitDataDocument Document = InitDataDocument.Create(InitDataAlgorithm.Sha384, new Dictionary<string, string>
    {
        ["aa.toml"] = "[token_configs.kbs]\nurl = \"http://192.0.2.1:8080\"\n",
        ["cdh.toml"] = "socket = 'unix:///run/confidential-containers/cdh.sock'\n[kbc]\nname = 'cc_kbc'\n",
        ["policy.rego"] = "package agent_policy\ndefault CreateContainerRequest := true\n",
    });

    /// <param name="prefix">The directory name's prefix, so a directory left by a killed test host says whose it was.</param>
    protected InitDataDiskTest(string prefix)
        : base(prefix)
    {
        Directory.CreateDirectory(Dev);
    }

    protected string Dev => Temp.Combine("dev");

    /// <summary>Writes <paramref name="document"/> as the disk <c>/dev/<paramref name="name"/></c>.</summary>
    protected Task WriteDiskAsync(string name, InitDataDocument document) => InitDataImage.WriteFileAsync(Path.Combine(Dev, name), document);
}
