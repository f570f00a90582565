using static Nova.Firmware.Domain.Diagnosis.FailureCause;

namespace Nova.Firmware.Domain.Diagnosis;

// How images travel: libcurl's error texts (curl/curl), HTTP status codes, ONVIF SOAP faults (onvif/specs).
public static partial class DiagnosisRules
{
    private const string CurlRepo = "curl/curl ";
    private const string OnvifSpec = "onvif/specs doc/Core.xml";

    private static IEnumerable<DiagnosisRule> Curl() =>
    [
        // curl_easy_strerror() texts (old and new spellings) and the curl tool's own messages.
        Rule("curl.resolve", "/\\bcould(?:n t| not) resolve (?:host|hostname|proxy)\\b/", Unreachable, 0.65, CurlRepo + "lib/strerror.c (CURLE_COULDNT_RESOLVE_HOST)"),
        Rule("curl.connect", "/\\bcould(?:n t| not) connect to (?:server|host)\\b|\\bfailed to connect to \\S+ port\\b/", Unreachable, 0.65, CurlRepo + "lib/strerror.c (CURLE_COULDNT_CONNECT), lib/connect.c"),
        Rule("curl.timeout", "/\\b(?:operation|connection) timed out\\b|\\btimeout was reached\\b/", Unreachable, 0.6, CurlRepo + "lib/strerror.c (CURLE_OPERATION_TIMEDOUT)"),
        Rule("curl.recv", "/failure when receiving data from the peer|\\brecv failure\\b/", Unreachable, 0.55, CurlRepo + "lib/strerror.c (CURLE_RECV_ERROR)"),
        Rule("curl.send", "/failed sending data to the peer|\\bsend failure\\b/", Unreachable, 0.5, CurlRepo + "lib/strerror.c (CURLE_SEND_ERROR)"),
        Rule("curl.ssl", "/\\bssl connect error\\b|\\bssl certificate problem\\b|ssl peer certificate or ssh remote key was not ok|\\bssl_connect\\b|ssl_error_syscall/", Unreachable, 0.5, CurlRepo + "lib/strerror.c (CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION)"),
        Rule("curl.got-nothing", "/server returned nothing|empty reply from server/", Unreachable, 0.5, CurlRepo + "lib/strerror.c (CURLE_GOT_NOTHING)"),
        // A transfer cut short: the article's "download was truncated", unless the network is named as the reason.
        Fallback("curl.partial-file", "Transferred a partial file", ChecksumMismatch, 0.55, CurlRepo + "lib/strerror.c (CURLE_PARTIAL_FILE)"),
        Fallback("curl.transfer-closed", "transfer closed with * bytes remaining to read", ChecksumMismatch, 0.55, CurlRepo + "lib/transfer.c"),
        Rule("curl.remote-disk-full", "Disk full or allocation exceeded", InsufficientSpace, 0.75, CurlRepo + "lib/strerror.c (CURLE_REMOTE_DISK_FULL)"),
        Rule("curl.filesize-exceeded", "Maximum file size exceeded", InsufficientSpace, 0.5, CurlRepo + "lib/strerror.c (CURLE_FILESIZE_EXCEEDED)"),
        Rule("curl.write-error", "/failed writing received data to disk|failure writing output to destination/", InsufficientSpace, 0.4, CurlRepo + "lib/strerror.c (CURLE_WRITE_ERROR)"),
        Failure("curl.http-error", "/the requested url returned error|http response code said error/", CurlRepo + "lib/http.c, lib/strerror.c (CURLE_HTTP_RETURNED_ERROR)"),
    ];

    private static IEnumerable<DiagnosisRule> Http() =>
    [
        Rule("http.507", "/\\binsufficient storage\\b|\\b(?:http|status|code|error)\\D{0,12}507\\b/", InsufficientSpace, 0.85, "RFC 4918 (507 Insufficient Storage)"),
        Rule("http.413", "/\\b(?:payload|request entity) too large\\b|\\b(?:http|status|code|error)\\D{0,12}413\\b/", InsufficientSpace, 0.75, "RFC 9110 (413 Content Too Large)"),
        // ONVIF: "If the firmware upgrade fails because the upgrade file was invalid, the HTTP POST response shall be 415".
        Fallback("http.415", "/\\bunsupported media type\\b|\\b(?:http|status|code|error)\\D{0,12}415\\b/", ChecksumMismatch, 0.55, OnvifSpec + " (StartFirmwareUpgrade)"),
    ];

    private static IEnumerable<DiagnosisRule> Onvif() =>
    [
        // UpgradeSystemFirmware: "env:Sender - ter:InvalidArgs - ter:InvalidFirmware: the firmware was invalid, i.e., not supported by this device".
        Rule("onvif.invalid-firmware", "InvalidFirmware", WrongHardware, 0.65, OnvifSpec + " (UpgradeSystemFirmware faults)"),
        Rule("onvif.out-of-memory", "ter:OutofMemory", InsufficientSpace, 0.55, OnvifSpec + " (generic faults)"),
        Failure("onvif.upgrade-failed", "/firmwareupgrade-? ?-? ?failed|firmwareupgradefailed/", OnvifSpec + " (UpgradeSystemFirmware faults)"),
        Failure("onvif.operation-prohibited", "ter:OperationProhibited", OnvifSpec + " (generic faults)"),
        Failure("onvif.invalid-arg", "/ter:invalidargval|ter:invalidargs/", OnvifSpec + " (generic faults)"),
        Failure("onvif.receiver-action", "/env:receiver.{0,80}ter:action\\b|\\bter:action\\b/", OnvifSpec + " (generic faults)"),
    ];
}
