using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Nova.Firmware.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RecoveryLadder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "QuarantineReason",
                table: "packages",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "QuarantinedAt",
                table: "packages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "CauseConfidence",
                table: "device_jobs",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "CauseEvidence",
                table: "device_jobs",
                type: "text[]",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RecoveryRunId",
                table: "device_jobs",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "recovery_runs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DeviceId = table.Column<Guid>(type: "uuid", nullable: false),
                    FailedJobId = table.Column<long>(type: "bigint", nullable: false),
                    PackageId = table.Column<Guid>(type: "uuid", nullable: false),
                    IntendedVersion = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Rung = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    ActiveDeviceId = table.Column<Guid>(type: "uuid", nullable: true),
                    Cause = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Confidence = table.Column<double>(type: "double precision", nullable: false),
                    Evidence = table.Column<List<string>>(type: "text[]", nullable: false),
                    StatusReason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    BlockingCheck = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    ShortfallBytes = table.Column<long>(type: "bigint", nullable: true),
                    ProposedPackageId = table.Column<Guid>(type: "uuid", nullable: true),
                    RetryJobId = table.Column<long>(type: "bigint", nullable: true),
                    Retries = table.Column<int>(type: "integer", nullable: false),
                    RecoveryBoots = table.Column<int>(type: "integer", nullable: false),
                    ReattemptIntended = table.Column<bool>(type: "boolean", nullable: false),
                    RecoveredVersion = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RungStartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RungDeadline = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    NextActionAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LeaseOwner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LeaseUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recovery_runs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_recovery_runs_device_jobs_FailedJobId",
                        column: x => x.FailedJobId,
                        principalTable: "device_jobs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_recovery_runs_devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_recovery_runs_packages_PackageId",
                        column: x => x.PackageId,
                        principalTable: "packages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "technician_tasks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    DeviceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Steps = table.Column<List<string>>(type: "text[]", nullable: false),
                    WaitForLed = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    PhotosWanted = table.Column<List<string>>(type: "text[]", nullable: false),
                    SdImagePackageId = table.Column<Guid>(type: "uuid", nullable: true),
                    SdImageSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    SdImageUrl = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CompletedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_technician_tasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_technician_tasks_recovery_runs_RunId",
                        column: x => x.RunId,
                        principalTable: "recovery_runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "technician_photos",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TaskId = table.Column<long>(type: "bigint", nullable: false),
                    DeviceId = table.Column<Guid>(type: "uuid", nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Caption = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UploadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UploadedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_technician_photos", x => x.Id);
                    table.ForeignKey(
                        name: "FK_technician_photos_technician_tasks_TaskId",
                        column: x => x.TaskId,
                        principalTable: "technician_tasks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_device_jobs_RecoveryRunId",
                table: "device_jobs",
                column: "RecoveryRunId");

            migrationBuilder.CreateIndex(
                name: "IX_recovery_runs_ActiveDeviceId",
                table: "recovery_runs",
                column: "ActiveDeviceId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_recovery_runs_DeviceId",
                table: "recovery_runs",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_recovery_runs_FailedJobId",
                table: "recovery_runs",
                column: "FailedJobId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_recovery_runs_PackageId",
                table: "recovery_runs",
                column: "PackageId");

            migrationBuilder.CreateIndex(
                name: "IX_recovery_runs_Rung_NextActionAt",
                table: "recovery_runs",
                columns: new[] { "Rung", "NextActionAt" });

            migrationBuilder.CreateIndex(
                name: "IX_technician_photos_DeviceId",
                table: "technician_photos",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_technician_photos_TaskId",
                table: "technician_photos",
                column: "TaskId");

            migrationBuilder.CreateIndex(
                name: "IX_technician_tasks_DeviceId",
                table: "technician_tasks",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_technician_tasks_RunId",
                table: "technician_tasks",
                column: "RunId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_technician_tasks_Status_CreatedAt",
                table: "technician_tasks",
                columns: new[] { "Status", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "technician_photos");

            migrationBuilder.DropTable(
                name: "technician_tasks");

            migrationBuilder.DropTable(
                name: "recovery_runs");

            migrationBuilder.DropIndex(
                name: "IX_device_jobs_RecoveryRunId",
                table: "device_jobs");

            migrationBuilder.DropColumn(
                name: "QuarantineReason",
                table: "packages");

            migrationBuilder.DropColumn(
                name: "QuarantinedAt",
                table: "packages");

            migrationBuilder.DropColumn(
                name: "CauseConfidence",
                table: "device_jobs");

            migrationBuilder.DropColumn(
                name: "CauseEvidence",
                table: "device_jobs");

            migrationBuilder.DropColumn(
                name: "RecoveryRunId",
                table: "device_jobs");
        }
    }
}
