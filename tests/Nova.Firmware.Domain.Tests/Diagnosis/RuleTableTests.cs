using System.Text;
using System.Text.RegularExpressions;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Diagnosis;

namespace Nova.Firmware.Domain.Tests.Diagnosis;

/// <summary>The rule table itself: well-formed, every row exercised by a real line, and listed in docs/diagnosis.md.</summary>
public sealed partial class RuleTableTests
{
    private const string TableStart = "<!-- rule-table:start -->";
    private const string TableEnd = "<!-- rule-table:end -->";

    [Fact]
    public void All_Ids_AreUniqueAndNamedToolDotWhat()
    {
        Assert.Empty(DiagnosisRules.All.GroupBy(r => r.Id).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.All(DiagnosisRules.All, r => Assert.Matches(IdFormat(), r.Id));
        Assert.All(DiagnosisRules.All, r => Assert.StartsWith(r.Tool + ".", r.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void All_WeightsAndKinds_AreConsistent()
    {
        Assert.All(DiagnosisRules.All, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Source), r.Id);
            if (r.Kind is RuleKind.Generic or RuleKind.Benign)
            {
                Assert.Equal(FailureCause.Unknown, r.Cause);
                Assert.Equal(0, r.Weight);
            }
            else
            {
                Assert.NotEqual(FailureCause.Unknown, r.Cause);
                Assert.InRange(r.Weight, 0.3, 0.95);
            }
            Assert.Equal(r.Tool == "signal", r.Scope == RuleScope.Signal);
        });
    }

    [Fact]
    public void All_EveryRule_IsHitByATestString()
    {
        var hit = ToolLogSamples.All.SelectMany(s => FailureClassifier.Explain(new FailureContext([s.Line], null, false, false)))
            .Concat(SignalSamples.All.SelectMany(s => FailureClassifier.Explain(s.Context)))
            .Select(h => h.Rule.Id)
            .ToHashSet(StringComparer.Ordinal);

        var missing = DiagnosisRules.All.Select(r => r.Id).Where(id => !hit.Contains(id)).ToList();
        Assert.True(missing.Count == 0, "No test line fires: " + string.Join(", ", missing));
    }

    [Fact]
    public void All_EveryToolAndSwupdateHandler_HasRules()
    {
        string[] tools = ["swupdate", "rauc", "rauc-hawkbit-updater", "mender", "u-boot", "linux", "openwrt", "curl", "http", "onvif", "fwupd", "esp-idf", "generic", "signal"];
        Assert.Equal(tools.Order(), DiagnosisRules.All.Select(r => r.Tool).Distinct().Order());

        string[] handlers = ["raw_handler.c", "(rawfile)", "ubivol_handler.c", "flash_handler.c", "archive_handler.c", "diskpart_handler.c", "(bootloader/uboot env",
            "remote_handler.c", "swuforward_handler.c", "rdiff_handler.c", "delta_handler.c", "ssbl_handler.c", "core/installer.c", "core/stream_interface.c",
            "core/parser.c", "core/cpio_utils.c", "crypto/", "corelib/channel_curl.c", "suricatta/server_hawkbit.c"];
        var sources = DiagnosisRules.All.Where(r => r.Tool == "swupdate").Select(r => r.Source).ToList();
        Assert.All(handlers, h => Assert.Contains(sources, s => s.Contains(h, StringComparison.Ordinal)));
    }

    [Fact]
    public void Matching_PatternsAreWholeWordsAndIgnoreCase()
    {
        Assert.Contains(DiagnosisRules.Matching(LogLines.Normalise("ERROR : hash MISMATCH : a <--> b")), r => r.Id == "swupdate.hash-mismatch");
        Assert.DoesNotContain(DiagnosisRules.Matching(LogLines.Normalise("SUPERHASH mismatches")), r => r.Id == "swupdate.hash-mismatch");
    }

    /// <summary>
    /// docs/diagnosis.md lists the table between two markers. When the table changes, run the tests
    /// with NOVA_WRITE_DOCS=1 to rewrite that part of the file, and commit it.
    /// </summary>
    [Fact]
    public void Docs_RuleTable_MatchesTheCode()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "diagnosis.md");
        var doc = File.ReadAllText(path);
        var start = doc.IndexOf(TableStart, StringComparison.Ordinal);
        var end = doc.IndexOf(TableEnd, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{path} lacks the {TableStart} … {TableEnd} markers.");
        var expected = TableStart + "\n" + RenderTable() + TableEnd;

        if (Environment.GetEnvironmentVariable("NOVA_WRITE_DOCS") == "1")
        {
            File.WriteAllText(path, doc[..start] + expected + doc[(end + TableEnd.Length)..]);
            return;
        }
        Assert.True(doc[start..(end + TableEnd.Length)] == expected,
            "docs/diagnosis.md's rule table is out of date: run the Domain tests with NOVA_WRITE_DOCS=1 and commit the file.");
    }

    private static string RenderTable()
    {
        var md = new StringBuilder();
        foreach (var tool in DiagnosisRules.All.GroupBy(r => r.Tool))
        {
            md.Append("\n#### ").Append(tool.Key).Append(" (").Append(tool.Count()).Append(" rules)\n\n");
            md.Append("| Id | Pattern | Cause | Weight | Kind | Source |\n|---|---|---|---|---|---|\n");
            foreach (var rule in tool)
            {
                var cause = rule.Cause == FailureCause.Unknown ? "—" : rule.Cause.ToWire();
                var weight = rule.Kind is RuleKind.Generic or RuleKind.Benign ? "—" : rule.Weight.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
                md.Append($"| `{rule.Id}` | `{Cell(rule.Pattern)}` | {cause} | {weight} | {rule.Kind.ToString().ToLowerInvariant()} | {Cell(rule.Source)} |\n");
            }
        }
        return md.Append('\n').ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Nova.Firmware.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Nova.Firmware.slnx not found above the test output.");
    }

    [GeneratedRegex(@"^[a-z0-9-]+\.[a-z0-9.-]+$")]
    private static partial Regex IdFormat();
}
