using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Nova.Firmware.Persistence.Migrations.Postgres
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
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "rollouts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    PackageIds = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Target = table.Column<string>(type: "text", nullable: false),
                    Strategy = table.Column<string>(type: "text", nullable: false),
                    StatusReason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    WaveCount = table.Column<int>(type: "integer", nullable: false),
                    OpenedWave = table.Column<int>(type: "integer", nullable: false),
                    AcknowledgedFailures = table.Column<int>(type: "integer", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastJoinCheckAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    NextActionAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LeaseOwner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LeaseUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollouts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "rollout_devices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RolloutId = table.Column<long>(type: "bigint", nullable: false),
                    DeviceId = table.Column<Guid>(type: "uuid", nullable: false),
                    PackageId = table.Column<Guid>(type: "uuid", nullable: true),
                    Wave = table.Column<int>(type: "integer", nullable: false),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    JobId = table.Column<long>(type: "bigint", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    RetryAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Cause = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    BlockingCheck = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
