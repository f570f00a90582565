using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Nova.Firmware.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PackageSignatureCheck : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Packages imported before signatures were checked: nobody checked them.
            migrationBuilder.AddColumn<string>(
                name: "SignatureCheck",
                table: "packages",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "not-checked");

            migrationBuilder.AddColumn<string>(
                name: "SignedBy",
                table: "packages",
                type: "TEXT",
                maxLength: 500,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SignatureCheck",
                table: "packages");

            migrationBuilder.DropColumn(
                name: "SignedBy",
                table: "packages");
        }
    }
}
