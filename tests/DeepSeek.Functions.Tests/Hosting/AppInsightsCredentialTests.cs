using Azure.Identity;
using DeepSeek.Functions.Hosting;

namespace DeepSeek.Functions.Tests.Hosting;

public sealed class AppInsightsCredentialTests
{
    [Theory]
    [InlineData("ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD")]
    [InlineData(" authorization = aad ; clientid = 11111111-2222-3333-4444-555555555555 ")]
    [InlineData("Authorization=AAD")]
    public void From_EntraIdAuthentication_IsAManagedIdentity(string setting) =>
        Assert.IsType<ManagedIdentityCredential>(AppInsightsCredential.From(setting));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ClientId=11111111-2222-3333-4444-555555555555")]
    [InlineData("Authorization=Other")]
    public void From_NoEntraIdAuthentication_IsNull(string? setting) =>
        Assert.Null(AppInsightsCredential.From(setting));
}
