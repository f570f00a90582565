using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Nova.Firmware.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Prefix = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    KeyHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastUsedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    StatusCode = table.Column<int>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_log", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "devices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ControllerId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Vendor = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Model = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    HardwareRevision = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Soc = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Serial = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Site = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Tags = table.Column<string>(type: "TEXT", nullable: false),
                    Protocol = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Capabilities_AbSlots = table.Column<bool>(type: "INTEGER", nullable: false),
                    Capabilities_BootLoopRetry = table.Column<bool>(type: "INTEGER", nullable: false),
                    Capabilities_RecoveryPartition = table.Column<bool>(type: "INTEGER", nullable: false),
                    Capabilities_RemoteRecoveryTrigger = table.Column<bool>(type: "INTEGER", nullable: false),
                    Capabilities_SdSlot = table.Column<bool>(type: "INTEGER", nullable: false),
                    Firmware_ActiveVersion = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Firmware_InactiveVersion = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Health_LastSeenAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Health_Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PowerFeed_Port = table.Column<int>(type: "INTEGER", nullable: true),
                    PowerFeed_SwitchId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Storage_FreeBytes = table.Column<long>(type: "INTEGER", nullable: true),
                    Storage_TotalBytes = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_devices", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "packages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Vendor = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Version = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Models = table.Column<string>(type: "TEXT", nullable: false),
                    HardwareRevisions = table.Column<string>(type: "TEXT", nullable: false),
                    Soc = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Format = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    ReleaseNotes = table.Column<string>(type: "TEXT", nullable: true),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Sha1 = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Md5 = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    Signature = table.Column<string>(type: "TEXT", nullable: true),
                    ImportedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ImportedBy = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_packages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "timeline",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DeviceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    JobId = table.Column<long>(type: "INTEGER", nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Data = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_timeline", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Disabled = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "device_reports",
                columns: table => new
                {
                    DeviceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReportedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    BootMode = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    Led = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    ResetReason = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    LastPowerEventAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AttributesJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_device_reports", x => x.DeviceId);
                    table.ForeignKey(
                        name: "FK_device_reports_devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "device_tokens",
                columns: table => new
                {
                    DeviceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_device_tokens", x => x.DeviceId);
                    table.ForeignKey(
                        name: "FK_device_tokens_devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "device_jobs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DeviceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PackageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ActiveDeviceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Cause = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    BlockingCheck = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    StatusReason = table.Column<string>(type: "TEXT", nullable: true),
                    TargetVersion = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PreviousVersion = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StepStartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NextActionAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    CancelRequested = table.Column<bool>(type: "INTEGER", nullable: false),
                    ActionServedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ActionClosed = table.Column<bool>(type: "INTEGER", nullable: false),
                    PreFlashSnapshot = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_device_jobs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_device_jobs_devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_device_jobs_packages_PackageId",
                        column: x => x.PackageId,
                        principalTable: "packages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_KeyHash",
                table: "api_keys",
                column: "KeyHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_Actor_At",
                table: "audit_log",
                columns: new[] { "Actor", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_At",
                table: "audit_log",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_device_jobs_ActiveDeviceId",
                table: "device_jobs",
                column: "ActiveDeviceId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_device_jobs_DeviceId",
                table: "device_jobs",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_device_jobs_PackageId",
                table: "device_jobs",
                column: "PackageId");

            migrationBuilder.CreateIndex(
                name: "IX_device_jobs_Status_NextActionAt",
                table: "device_jobs",
                columns: new[] { "Status", "NextActionAt" });

            migrationBuilder.CreateIndex(
                name: "IX_device_jobs_UpdatedAt",
                table: "device_jobs",
                column: "UpdatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_device_tokens_TokenHash",
                table: "device_tokens",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_devices_ControllerId",
                table: "devices",
                column: "ControllerId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_devices_Model",
                table: "devices",
                column: "Model");

            migrationBuilder.CreateIndex(
                name: "IX_devices_Site",
                table: "devices",
                column: "Site");

            migrationBuilder.CreateIndex(
                name: "IX_packages_Sha256",
                table: "packages",
                column: "Sha256");

            migrationBuilder.CreateIndex(
                name: "IX_packages_Vendor_Version",
                table: "packages",
                columns: new[] { "Vendor", "Version" });

            migrationBuilder.CreateIndex(
                name: "IX_timeline_DeviceId_Id",
                table: "timeline",
                columns: new[] { "DeviceId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_timeline_JobId_Id",
                table: "timeline",
                columns: new[] { "JobId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_users_UserName",
                table: "users",
                column: "UserName",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "device_jobs");

            migrationBuilder.DropTable(
                name: "device_reports");

            migrationBuilder.DropTable(
                name: "device_tokens");

            migrationBuilder.DropTable(
                name: "timeline");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "packages");

            migrationBuilder.DropTable(
                name: "devices");
        }
    }
}
