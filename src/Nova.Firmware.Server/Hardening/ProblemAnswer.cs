using Microsoft.AspNetCore.Mvc;

namespace Nova.Firmware.Server.Hardening;

/// <summary>A guard's refusal, written as a problem document before any endpoint runs.</summary>
internal static class ProblemAnswer
{
    public static ValueTask RefuseAsync(this IProblemDetailsService problems, HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
