using MudBlazor;

namespace Nova.Firmware.Server.WebConsole;

/// <summary>
/// The console's MudBlazor theme. MudBlazor's default palette puts white text on light colours
/// (success, warning, error, secondary) below the 4.5:1 contrast WCAG AA asks for; these darker
/// ones pass it on white and carry white text. System fonts: the page may load nothing from
/// other servers (the Content-Security-Policy), so no web font.
/// </summary>
public static class ConsoleTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0b57a4",
            Secondary = "#5a3d99",
            Tertiary = "#1d5f5a",
            Info = "#0b57a4",
            Success = "#116b2e",
            Warning = "#8a5300",
            Error = "#a3141b",
            Dark = "#1b1b1f",
            TextPrimary = "#1b1b1f",
            TextSecondary = "#4a4a55",
            AppbarBackground = "#12263f",
            AppbarText = "#ffffff",
            DrawerBackground = "#f3f4f7",
            DrawerText = "#1b1b1f",
            DrawerIcon = "#3d3f45",
            Background = "#ffffff",
            TableLines = "#c9ccd4",
            LinesDefault = "#c9ccd4",
            LinesInputs = "#767884",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "sans-serif"] },
        },
    };
}
