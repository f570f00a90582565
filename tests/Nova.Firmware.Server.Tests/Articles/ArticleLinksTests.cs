using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Server.Articles;
using Nova.Firmware.Server.Endpoints.Management;

namespace Nova.Firmware.Server.Tests.Articles;

public sealed class ArticleLinksTests
{
    private static readonly ArticleLibrary Library = ArticleLibrary.LoadEmbedded();

    public static TheoryData<FailureCause> Causes => [.. Enum.GetValues<FailureCause>()];

    [Theory]
    [MemberData(nameof(Causes))]
    public void ForCause_EveryCause_PointsAtAnExistingAnchorOfAnExistingArticle(FailureCause cause)
    {
        var link = ArticleLinks.ForCause(cause);

        Assert.StartsWith("/articles/", link);
        var parts = link["/articles/".Length..].Split('#');
        Assert.Equal(2, parts.Length);
        var article = Library.Find(parts[0]);
        Assert.NotNull(article);
        Assert.True(article.HasAnchor(parts[1]), $"{cause}: no anchor '{parts[1]}' in {article.Slug}");
    }

    [Theory]
    [InlineData(FailureCause.InsufficientSpace, "/articles/firmware-flash-failed#if-space-ran-out")]
    [InlineData(FailureCause.PowerLoss, "/articles/firmware-flash-failed#if-power-was-lost")]
    [InlineData(FailureCause.ChecksumMismatch, "/articles/firmware-flash-failed#if-the-checksum-is-wrong")]
    [InlineData(FailureCause.WrongHardware, "/articles/firmware-flash-failed#if-the-package-is-for-the-wrong-hardware")]
    [InlineData(FailureCause.Unreachable, "/articles/firmware-flash-failed#if-power-was-lost")]
    [InlineData(FailureCause.BootFailure, "/articles/firmware-flash-failed#if-power-was-lost")]
    [InlineData(FailureCause.Unknown, "/articles/firmware-flash-failed#if-none-of-this-worked")]
    public void ForCause_Cause_TheSectionThatExplainsIt(FailureCause cause, string expected) =>
        Assert.Equal(expected, ArticleLinks.ForCause(cause));

    [Fact]
    public void JobResponse_FailedJobWithACause_CarriesItsArticleUrl()
    {
        var failed = new DeviceJob { Id = 7, CreatedBy = "test", Status = DeviceJobStatus.Failed, Cause = FailureCause.ChecksumMismatch };
        var running = new DeviceJob { Id = 8, CreatedBy = "test", Status = DeviceJobStatus.Transferring };

        Assert.Equal("/articles/firmware-flash-failed#if-the-checksum-is-wrong", JobResponse.From(failed).ArticleUrl);
        Assert.Null(JobResponse.From(running).ArticleUrl);
    }
}
