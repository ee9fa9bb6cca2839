using System.Reflection;
using Microsoft.Azure.WebJobs;

namespace DeepSeek.Worker;

/// <summary>Tells the WebJobs SDK exactly which classes hold triggers, whichever process hosts the worker.</summary>
internal sealed class ExplicitTypeLocator(params Type[] types) : ITypeLocator
{
    public IReadOnlyList<Type> GetTypes() => types;
}
