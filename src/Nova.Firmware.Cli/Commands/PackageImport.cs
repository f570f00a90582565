using System.CommandLine;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Nova.Firmware.Cli.Output;
using Spectre.Console;

namespace Nova.Firmware.Cli.Commands;

/// <summary>
/// <c>novafw packages import FILE</c>: hashes the file, then streams it with the metadata fields
/// first (so the server refuses bad metadata before the upload) and the hash as the published one.
/// </summary>
public static class PackageImport
{
    public static Command Create(CommandSet set)
    {
        var file = new Argument<FileInfo>("file") { Description = "The package file (.swu bundle or raw image)" };
        var vendor = new Option<string>("--vendor") { Description = "Vendor name", Required = true };
        var models = new Option<string[]>("--model") { Description = "Model; repeat for several", Required = true, AllowMultipleArgumentsPerToken = true };
        var soc = new Option<string>("--soc") { Description = "SoC / architecture, e.g. aarch64", Required = true };
        var version = new Option<string?>("--version") { Description = "Version (required for raw images; a .swu carries its own)" };
        var revisions = new Option<string[]>("--revision") { Description = "Hardware revision; repeat for several (a .swu carries its own)", AllowMultipleArgumentsPerToken = true };
        var kind = new Option<string>("--kind") { Description = "update, stock or sd-recovery", DefaultValueFactory = _ => "update" };
        kind.AcceptOnlyFromAmong("update", "stock", "sd-recovery");
        var sha256 = new Option<string?>("--sha256") { Description = "The vendor's published SHA-256; default: computed here from the file" };
        var notes = new Option<string?>("--release-notes") { Description = "Free text" };
        var command = new Command("import", "Import a package into the catalog (progress bar; the SHA-256 is sent as the published hash).")
        {
            file, vendor, models, soc, version, revisions, kind, sha256, notes,
        };
        set.Action(command, async (inv, ct) =>
        {
            var source = inv.Get(file);
            if (!source.Exists)
            {
                throw CliException.Invalid($"File {source.FullName} does not exist.");
            }
            var published = inv.Get(sha256);
            if (published is not null && (published.Length != 64 || !published.All(Uri.IsHexDigit)))
            {
                throw CliException.Invalid("--sha256 must be 64 hexadecimal digits.");
            }
            var result = await WithProgressAsync(inv, source, async progress =>
            {
                var hash = published ?? await HashAsync(source, progress, ct);
                using var form = new MultipartFormDataContent
                {
                    { new StringContent(inv.Get(vendor)!), "vendor" },
                    { new StringContent(string.Join(',', inv.Get(models)!)), "models" },
                    { new StringContent(inv.Get(soc)!), "soc" },
                    { new StringContent(inv.Get(kind)!), "kind" },
                    { new StringContent(hash), "sha256" },
                };
                if (inv.Get(version) is { } v)
                {
                    form.Add(new StringContent(v), "version");
                }
                if (inv.Get(revisions) is { Length: > 0 } r)
                {
                    form.Add(new StringContent(string.Join(',', r)), "hardwareRevisions");
                }
                if (inv.Get(notes) is { } n)
                {
                    form.Add(new StringContent(n), "releaseNotes");
                }
                await using var stream = source.OpenRead();
                var content = new StreamContent(new ProgressStream(stream, progress.Upload));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Headers.ContentLength = source.Length;
                form.Add(content, "file", source.Name);
                return await inv.Api.SendAsync(HttpMethod.Post, "api/v1/packages", form, ct);
            });
            if (inv.Json)
            {
                inv.Out.PrintJson(result);
                return ExitCodes.Ok;
            }
            inv.Out.Line($"Imported {result.S("id")}: {result.S("vendor")} {result.S("models")} {result.S("version")} ({result.S("format")}, rev {result.S("hardwareRevisions")}, signature {result.S("signatureCheck")})");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<string> HashAsync(FileInfo source, ImportProgress progress, CancellationToken ct)
    {
        await using var stream = new ProgressStream(source.OpenRead(), progress.Hash);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }

    private static async Task<T> WithProgressAsync<T>(Invocation inv, FileInfo source, Func<ImportProgress, Task<T>> work)
    {
        if (!inv.Context.Interactive || inv.Json)
        {
            return await work(new ImportProgress(_ => { }, _ => { }));
        }
        return await inv.Out.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var hash = context.AddTask("SHA-256", maxValue: source.Length);
                var upload = context.AddTask("Upload", maxValue: source.Length);
                return await work(new ImportProgress(n => hash.Increment(n), n => upload.Increment(n)));
            });
    }

    private sealed record ImportProgress(Action<long> Hash, Action<long> Upload);
}

/// <summary>A read-only stream that reports how many bytes were read, for progress bars.</summary>
internal sealed class ProgressStream(Stream inner, Action<long> read) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => inner.Position = value; }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => Report(inner.Read(buffer, offset, count));
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => Report(await inner.ReadAsync(buffer, cancellationToken));
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private int Report(int count)
    {
        read(count);
        return count;
    }
}
