using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Nova.Firmware.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Rollouts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RolloutId",
                table: "device_jobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "rollouts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PackageIds = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Target = table.Column<string>(type: "TEXT", nullable: false),
                    Strategy = table.Column<string>(type: "TEXT", nullable: false),
                    StatusReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    WaveCount = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenedWave = table.Column<int>(type: "INTEGER", nullable: false),
                    AcknowledgedFailures = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastJoinCheckAt = table.Column<long>(type: "INTEGER", nullable: true),
                    NextActionAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollouts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "rollout_devices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RolloutId = table.Column<long>(type: "INTEGER", nullable: false),
                    DeviceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PackageId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Wave = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    JobId = table.Column<long>(type: "INTEGER", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    RetryAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Cause = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    BlockingCheck = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollout_devices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_rollout_devices_device_jobs_JobId",
                        column: x => x.JobId,
                        principalTable: "device_jobs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_rollout_devices_devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_rollout_devices_packages_PackageId",
                        column: x => x.PackageId,
                        principalTable: "packages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_rollout_devices_rollouts_RolloutId",
                        column: x => x.RolloutId,
                        principalTable: "rollouts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_device_jobs_RolloutId",
                table: "device_jobs",
                column: "RolloutId");

            migrationBuilder.CreateIndex(
                name: "IX_rollout_devices_DeviceId",
                table: "rollout_devices",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_rollout_devices_JobId",
                table: "rollout_devices",
                column: "JobId");

            migrationBuilder.CreateIndex(
                name: "IX_rollout_devices_PackageId",
                table: "rollout_devices",
                column: "PackageId");

            migrationBuilder.CreateIndex(
                name: "IX_rollout_devices_RolloutId_DeviceId",
                table: "rollout_devices",
                columns: new[] { "RolloutId", "DeviceId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_rollout_devices_RolloutId_Wave_State",
                table: "rollout_devices",
                columns: new[] { "RolloutId", "Wave", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_rollouts_Status_NextActionAt",
                table: "rollouts",
                columns: new[] { "Status", "NextActionAt" });

            migrationBuilder.CreateIndex(
                name: "IX_rollouts_UpdatedAt",
                table: "rollouts",
                column: "UpdatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rollout_devices");

            migrationBuilder.DropTable(
                name: "rollouts");

            migrationBuilder.DropIndex(
                name: "IX_device_jobs_RolloutId",
                table: "device_jobs");

            migrationBuilder.DropColumn(
                name: "RolloutId",
                table: "device_jobs");
        }
    }
}
