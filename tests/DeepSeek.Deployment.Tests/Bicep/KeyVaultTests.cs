using DeepSeek.Deployment.Tests.Arm;
using static DeepSeek.Deployment.Tests.Bicep.BuiltInRoles;

namespace DeepSeek.Deployment.Tests.Bicep;

/// <summary>
/// The front app's seal and pseudonym keys: secure parameters stored as Key Vault secrets (RBAC vault), read by the
/// front identity only, reaching the app as Key Vault references, never as values.
/// </summary>
[Collection(BicepCollection.Name)]
public sealed class KeyVaultTests(CompiledTemplate compiled)
{
    private const string SealKey = "c2VhbC1rZXktdGVzdC12YWx1ZS0wMTIzNDU2Nzg5YWJjZGVm";
    private const string PseudonymKey = "cHNldWRvbnltLWtleS10ZXN0LXZhbHVlLTAxMjM0NTY3ODk=";

    [Fact]
    public void Vault_UsesRbac_WithPurgeProtection_AndTheKeysAreSecureParameters()
    {
        var vault = compiled.Main.Module("keyVault").OfType("Microsoft.KeyVault/vaults").Single().GetProperty("properties");

        Assert.True(vault.GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.True(vault.GetProperty("enablePurgeProtection").GetBoolean());
        var parameters = compiled.Main.Root.GetProperty("parameters");
        foreach (var name in new[] { "auditSealKey", "pseudonymKey" })
        {
            Assert.Equal("securestring", parameters.GetProperty(name).GetProperty("type").GetString());
        }
    }

    [Fact]
    public void WithoutKeys_NoSecret_AndNoKeySetting()
    {
        var keyVault = compiled.Module("keyVault");
        var front = (Dictionary<string, object?>)compiled.Module("front").Variable("allSettings")!;

        Assert.Empty((List<object?>)keyVault.Variable("given")!);
        Assert.DoesNotContain("Audit__Seal__Key", front.Keys);
        Assert.DoesNotContain("Privacy__PseudonymKey", front.Keys);
    }

    [Fact]
    public void WithKeys_TheFrontReadsThemFromKeyVault_AndOnlyTheFront()
    {
        var main = compiled.With(("auditSealKey", SealKey), ("pseudonymKey", PseudonymKey));
        var keyVault = main.Module(compiled.Main.Resource("keyVault"));
        var front = (Dictionary<string, object?>)main.Module(compiled.Main.Resource("front")).Variable("allSettings")!;
        var expert = (Dictionary<string, object?>)main.Module(compiled.Main.Resource("experts"), 0).Variable("allSettings")!;

        Assert.Contains("auditSealKey", ArmEvaluator.ToText(front["Audit__Seal__Key"]), StringComparison.Ordinal);
        Assert.Contains("pseudonymKey", ArmEvaluator.ToText(front["Privacy__PseudonymKey"]), StringComparison.Ordinal);
        Assert.DoesNotContain(front.Values, v => ArmEvaluator.ToText(v).Contains(SealKey, StringComparison.Ordinal) || ArmEvaluator.ToText(v).Contains(PseudonymKey, StringComparison.Ordinal));
        Assert.DoesNotContain("Audit__Seal__Key", expert.Keys);
        Assert.DoesNotContain("Privacy__PseudonymKey", expert.Keys);

        var given = ((List<object?>)keyVault.Variable("given")!).Cast<Dictionary<string, object?>>().ToList();
        Assert.Equal(["audit-seal-key", "privacy-pseudonym-key"], given.Select(g => (string)g["name"]!).ToArray());
        Assert.Equal("frontPrincipalId", RoleTests.Output(keyVault.Parameter("readerPrincipalId")));
        var assignment = compiled.Main.Module("keyVault").OfType("Microsoft.Authorization/roleAssignments").Single();
        var roles = keyVault.Each(assignment, e => ArmEvaluator.ToText(e.Value(assignment.GetProperty("properties").GetProperty("roleDefinitionId"))));
        Assert.Equal(2, roles.Count);
        Assert.All(roles, r => Assert.EndsWith(KeyVaultSecretsUser + ")", r, StringComparison.Ordinal));

        var references2 = (Dictionary<string, object?>)keyVault.Value(compiled.Main.Module("keyVault").Root.GetProperty("outputs").GetProperty("references").GetProperty("value"))!;
        Assert.Equal($"@Microsoft.KeyVault(VaultName={keyVault.Parameter("name")};SecretName=audit-seal-key)", references2["auditSealKey"]);
        Assert.Equal($"@Microsoft.KeyVault(VaultName={keyVault.Parameter("name")};SecretName=privacy-pseudonym-key)", references2["pseudonymKey"]);
    }
}
