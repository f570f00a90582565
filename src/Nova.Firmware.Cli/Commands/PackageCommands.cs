using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Nova.Firmware.Cli.Output;
using Nova.Firmware.Protocols.Swu;

namespace Nova.Firmware.Cli.Commands;

/// <summary><c>novafw packages build|import|list|show|download</c>.</summary>
public static class PackageCommands
{
    public static Command Create(CommandSet set)
    {
        var packages = new Command("packages", "Build, import, list and download firmware packages.");
        packages.Subcommands.Add(Build(set));
        packages.Subcommands.Add(PackageImport.Create(set));
        packages.Subcommands.Add(List(set));
        packages.Subcommands.Add(Show(set));
        packages.Subcommands.Add(Download(set));
        return packages;
    }

    private static Command Build(CommandSet set)
    {
        var image = new Argument<FileInfo>("image") { Description = "The firmware image to put in the bundle" };
        var version = new Option<string>("--version") { Description = "Firmware version (sw-description version)", Required = true };
        var revisions = new Option<string[]>("--revision") { Description = "Hardware revision the bundle is for; repeat for several", Required = true, AllowMultipleArgumentsPerToken = true };
        var models = new Option<string[]>("--model") { Description = "Model the bundle is for (recorded in the description); repeat for several", AllowMultipleArgumentsPerToken = true };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where to write the .swu (default: IMAGE-VERSION.swu beside the image)" };
        var key = new Option<FileInfo?>("--key") { Description = "PEM private key that signs sw-description (needs --cert)" };
        var cert = new Option<FileInfo?>("--cert") { Description = "PEM certificate of the signing key; devices verify against it (SWUpdate -k)" };
        var handler = new Option<string>("--handler") { Description = "SWUpdate handler that installs the image", DefaultValueFactory = _ => "raw" };
        handler.AcceptOnlyFromAmong("raw", "rawfile", "ubivol", "archive");
        var target = new Option<string>("--target") { Description = "Device or path the handler writes to", DefaultValueFactory = _ => "/dev/update" };
        var command = new Command("build", "Build a .swu update bundle (optionally signed, CMS) that SWUpdate and simulated gateways accept.")
        {
            image, version, revisions, models, output, key, cert, handler, target,
        };
        set.Action(command, async (inv, ct) =>
        {
            var file = inv.Get(image);
            if (!file.Exists)
            {
                throw CliException.Invalid($"Image file {file.FullName} does not exist.");
            }
            var keyFile = inv.Get(key);
            var certFile = inv.Get(cert);
            if ((keyFile is null) != (certFile is null))
            {
                throw CliException.Invalid("Signing needs both --key and --cert.");
            }
            var spec = new SwuPackageSpec(inv.Get(version)!, inv.Get(revisions) ?? [], inv.Get(models) ?? [], file.Name, inv.Get(handler)!, inv.Get(target)!);
            if (SwuPackageBuilder.Validate(spec) is { Count: > 0 } errors)
            {
                throw CliException.Invalid(string.Join(" ", errors));
            }
            using var signer = keyFile is null ? null : LoadSigner(certFile!, keyFile);
            var destination = inv.Get(output) ?? new FileInfo(Path.Combine(file.DirectoryName!, $"{Path.GetFileNameWithoutExtension(file.Name)}-{spec.Version}.swu"));
            var temporary = destination.FullName + ".part";
            string sha256;
            try
            {
                await using (var source = file.OpenRead())
                await using (var target = File.Create(temporary))
                {
                    await SwuPackageBuilder.WriteAsync(target, spec, source, signer, ct);
                }
                File.Move(temporary, destination.FullName, overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                File.Delete(temporary);
                throw new CliException(ExitCodes.Failure, $"Cannot write {destination.FullName}: {ex.Message}");
            }
            await using (var written = destination.OpenRead())
            {
                sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(written, ct));
            }
            if (inv.Json)
            {
                inv.Out.Writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { path = destination.FullName, sha256, version = spec.Version, hardwareRevisions = spec.HardwareRevisions, signed = signer is not null }));
            }
            else
            {
                inv.Out.Line($"Built {destination.FullName} ({(signer is null ? "unsigned" : "signed by " + signer.Subject)})");
                inv.Out.Line($"sha256 {sha256}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static X509Certificate2 LoadSigner(FileInfo cert, FileInfo key)
    {
        try
        {
            var signer = X509Certificate2.CreateFromPemFile(cert.FullName, key.FullName);
            if (!signer.HasPrivateKey)
            {
                throw CliException.Invalid($"{key.FullName} holds no private key for {cert.FullName}.");
            }
            return signer;
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or ArgumentException)
        {
            throw CliException.Invalid($"Cannot load the signing key and certificate ({cert.Name}, {key.Name}): {ex.Message}");
        }
    }

    private static Command List(CommandSet set)
    {
        var vendor = new Option<string?>("--vendor") { Description = "Only this vendor" };
        var model = new Option<string?>("--model") { Description = "Only packages for this model" };
        var kind = new Option<string?>("--kind") { Description = "update, stock or sd-recovery" };
        kind.AcceptOnlyFromAmong("update", "stock", "sd-recovery");
        var paging = new Paging();
        var command = new Command("list", "List packages.") { vendor, model, kind, paging.Page, paging.PageSize };
        set.Action(command, async (inv, ct) =>
        {
            var page = await inv.Api.GetAsync(paging.Path(inv, "api/v1/packages", ("vendor", inv.Get(vendor)), ("model", inv.Get(model)), ("kind", inv.Get(kind))), ct);
            if (inv.Json)
            {
                inv.Out.PrintJson(page);
                return ExitCodes.Ok;
            }
            inv.Out.Table(page.Items(),
                ("ID", p => p.S("id")), ("VENDOR", p => p.S("vendor")), ("MODELS", p => p.S("models")), ("REVISIONS", p => p.S("hardwareRevisions")),
                ("VERSION", p => p.S("version")), ("KIND", p => p.S("kind")), ("FORMAT", p => p.S("format")), ("SIZE", p => Json.Bytes(p.I("size"))),
                ("SIGNATURE", p => p.S("signatureCheck")));
            Paging.Footer(inv, page);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CommandSet set)
    {
        var id = new Argument<Guid>("id") { Description = "Package id" };
        var command = new Command("show", "Show one package's metadata.") { id };
        set.Action(command, async (inv, ct) =>
        {
            var package = await inv.Api.GetAsync($"api/v1/packages/{inv.Get(id)}", ct);
            if (inv.Json)
            {
                inv.Out.PrintJson(package);
                return ExitCodes.Ok;
            }
            inv.Out.Fields(
                ("id", package.S("id")), ("vendor", package.S("vendor")), ("models", package.S("models")), ("hardware revisions", package.S("hardwareRevisions")),
                ("soc", package.S("soc")), ("version", package.S("version")), ("kind", package.S("kind")), ("format", package.S("format")),
                ("file", package.S("fileName")), ("size", Json.Bytes(package.I("size"))), ("sha256", package.S("sha256")),
                ("signature", package.S("signatureCheck")), ("signed by", package.S("signedBy")), ("release notes", package.S("releaseNotes")));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Download(CommandSet set)
    {
        var id = new Argument<Guid>("id") { Description = "Package id" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where to save it (default: the package's file name in the current directory)" };
        var command = new Command("download", "Download a package's file and check it against its SHA-256.") { id, output };
        set.Action(command, async (inv, ct) =>
        {
            var package = await inv.Api.GetAsync($"api/v1/packages/{inv.Get(id)}", ct);
            var name = Path.GetFileName(package.S("fileName") ?? $"{inv.Get(id)}.bin");
            var destination = inv.Get(output)?.FullName ?? Path.Combine(Directory.GetCurrentDirectory(), name);
            var temporary = destination + ".part";
            try
            {
                await using (var file = File.Create(temporary))
                {
                    await inv.Api.DownloadAsync($"api/v1/packages/{inv.Get(id)}/content", file, ct);
                }
                string actual;
                await using (var file = File.OpenRead(temporary))
                {
                    actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
                }
                if (!string.Equals(actual, package.S("sha256"), StringComparison.OrdinalIgnoreCase))
                {
                    throw new CliException(ExitCodes.Failure, $"The download's SHA-256 {actual} is not the package's {package.S("sha256")}; nothing was saved.");
                }
                File.Move(temporary, destination, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }
            inv.Out.Line($"Saved {destination} (sha256 verified)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
