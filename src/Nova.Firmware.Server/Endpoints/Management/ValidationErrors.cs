using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Server.Endpoints.Management;

internal static class ValidationErrors
{
    /// <summary>Groups field errors into the shape <c>TypedResults.ValidationProblem</c> expects.</summary>
    public static Dictionary<string, string[]> ToDictionary(this IEnumerable<FieldError> errors) =>
        errors.GroupBy(e => e.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
}
