using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Nova.Firmware.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CameraCredentials : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "camera_credentials",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DeviceId = table.Column<Guid>(type: "uuid", nullable: true),
                    Site = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Username = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ProtectedPassword = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_camera_credentials", x => x.Id);
                    table.CheckConstraint("CK_camera_credentials_one_scope", "(\"DeviceId\" IS NULL) <> (\"Site\" IS NULL)");
                    table.ForeignKey(
                        name: "FK_camera_credentials_devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_camera_credentials_DeviceId",
                table: "camera_credentials",
                column: "DeviceId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_camera_credentials_Site",
                table: "camera_credentials",
                column: "Site",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "camera_credentials");
        }
    }
}
