using Microsoft.AspNetCore.DataProtection;
using Nova.Firmware.Domain.Drivers;

namespace Nova.Firmware.Server.Credentials;

public static class CredentialServiceCollectionExtensions
{
    /// <summary>
    /// Data Protection with its key ring on disk (under the data directory unless a shared one is
    /// configured) and the credential store drivers read from. The configuration is checked here,
    /// at start, because Data Protection needs it before any options are resolved.
    /// </summary>
    public static IServiceCollection AddCameraCredentials(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        var options = configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>() ?? new KeyRingOptions();
        if (options.Problems() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException("Invalid key ring configuration: " + string.Join(" ", problems));
        }
        var directory = options.ResolvedDirectory(dataDirectory);
        CreatePrivateDirectory(directory);
        services.AddDataProtection()
            .SetApplicationName(options.ApplicationName.Trim())
            .PersistKeysToFileSystem(new DirectoryInfo(directory));
        services.AddSingleton<CredentialProtector>();
        services.AddSingleton<CameraCredentialStore>();
        services.AddSingleton<IDeviceCredentialStore>(sp => sp.GetRequiredService<CameraCredentialStore>());
        return services;
    }

    /// <summary>
    /// The keys are stored unencrypted (nothing on a plain Linux host could wrap them): only the
    /// server's own user may read the directory.
    /// </summary>
    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
