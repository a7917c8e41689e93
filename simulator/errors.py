"""TwilioError and the one catalogue of the codes the simulator answers with.

Twilio's REST error body is ``{"code", "message", "more_info", "status"}``; the
SDK raises ``TwilioRestException`` from it. Every error the simulator returns
comes from ``CATALOGUE`` so that a code always carries the same HTTP status and
default message. (tests/unit/test_errors.py checks each code against Twilio's
own error list in ../shared/reference.)
"""
from __future__ import annotations

# code: (HTTP status, default message)
CATALOGUE: dict[int, tuple[int, str]] = {
    20001: (400, "Unknown parameters"),
    20003: (401, "Authenticate"),
    20004: (405, "Method not allowed"),
    20005: (401, "Account not active"),
    20006: (403, "Access Denied"),
    20008: (403, "Resource not accessible with Test Account Credentials"),
    20404: (404, "The requested resource was not found"),
    20413: (413, "Request Entity Too Large"),
    20422: (400, "Invalid Parameter"),
    20429: (429, "Too Many Requests"),
    20500: (500, "Internal Server Error"),
    20503: (503, "Service unavailable"),
    21101: (400, "Subaccounts cannot contain subaccounts"),
    # Access Tokens (the TaskRouter event bridge)
    20101: (403, "Invalid Access Token"),
    20102: (403, "Invalid Access Token header"),
    20103: (403, "Invalid Access Token issuer/subject"),
    20104: (401, "Access Token expired or expiration date invalid"),
    20105: (401, "Access Token not yet valid"),
    20106: (403, "Invalid Access Token grants"),
    20107: (403, "Invalid Access Token signature"),
    # phone numbers, Messages, Calls, Messaging Services, toll-free verification, webhooks
    11200: (502, "HTTP retrieval failure"),
    21201: (400, "No Called number specified"),
    21205: (400, "Invalid URL"),
    21210: (400, "'From' phone number not verified"),
    21211: (400, "Invalid 'To' Phone Number"),
    21212: (400, "Invalid From Number (caller ID)"),
    21213: (400, "Caller phone number is required"),
    21214: (400, "'To' phone number cannot be reached"),
    21215: (400, "Geo Permission configuration is not permitting call"),
    21216: (400, "Call blocked by Twilio blocklist"),
    21217: (400, "Phone number does not appear to be valid"),
    21219: (400, "'To' phone number not verified"),
    21220: (400, "Invalid call state"),
    21401: (400, "Invalid Phone Number"),
    21408: (400, "Permission to send an SMS has not been enabled for the region indicated by "
                 "the 'To' number"),
    21420: (400, "ApplicationSid is not accessible"),
    21421: (400, "PhoneNumber is invalid"),
    21422: (400, "PhoneNumber is not available"),
    21451: (400, "Invalid area code"),
    21452: (400, "No phone numbers found in area code"),
    21602: (400, "Message body is required."),
    21603: (400, "A 'From' or 'MessagingServiceSid' parameter is required to send a message"),
    21604: (400, "A 'To' phone number is required."),
    21606: (400, "The 'From' phone number provided is not a valid message-capable Twilio phone "
                 "number for this destination."),
    21608: (400, "The 'to' phone number provided is not yet verified for this account."),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    21611: (400, "This 'From' number has exceeded the maximum number of queued messages"),
    21612: (400, "The 'To' phone number is not currently reachable via SMS"),
    21614: (400, "'To' number is not a valid mobile number"),
    21609: (400, "Invalid 'StatusCallback'"),
    21620: (400, "Invalid media URL(s)"),
    21617: (400, "The concatenated message body exceeds the 1600 character limit"),
    21619: (400, "A text message body, media URL or Content SID is required"),
    21623: (400, "Number of media files exceeds allowed limit"),
    21654: (400, "ContentSid Required"),
    21655: (400, "The ContentSid is Invalid"),
    21656: (400, "The ContentVariables Parameter is invalid"),
    21701: (404, "The Messaging Service does not exist"),
    21704: (400, "The Messaging Service contains no phone numbers"),
    21710: (409, "Phone Number Already Exists in Messaging Service"),
    21712: (400, "Phone Number or Short Code is associated with another Messaging Service."),
    20009: (400, "Cannot delete this resource before it is complete"),
    30409: (400, "This message cannot be canceled"),
    30003: (400, "Unreachable destination handset"),
    30004: (400, "Message blocked"),
    30005: (400, "Unknown destination handset"),
    30006: (400, "Landline or unreachable carrier"),
    30007: (400, "Message filtered"),
    30008: (400, "Unknown error"),
    30032: (400, "Toll-Free Number Has Not Been Verified"),
    30436: (400, "Invalid Phone Number SID"),
    # Flex, the Console and TaskRouter
    20403: (403, "403 Forbidden"),
    20409: (409, "Conflict"),
    20412: (412, "Precondition Failed"),
    # TaskRouter assignment instructions (REST or an assignment callback's answer)
    40000: (400, "Content-Type of 'application/json' not set"),
    40001: (400, "Could not parse Assignment Instruction response as JSON"),
    40005: (400, "Assignment Callback response does not contain Instruction"),
    40100: (400, "Your Reject instruction does not include a valid `activity_sid` parameter."),
    40110: (400, "Call Instruction does not have a valid 'to' parameter"),
    40111: (400, "Call Instruction does not have a valid 'from' parameter"),
    40112: (400, "Call Instruction does not have a valid 'url' parameter"),
    40114: (400, "Call Instruction can only be issued on a currently pending reservation."),
    40120: (400, "Redirect Instruction does not have a valid 'url' parameter"),
    40121: (400, "Redirect Instruction does not have a valid 'call_sid' parameter"),
    40122: (400, "Direct Instruction encountered an error when redirecting a call via the API."),
    40123: (400, "Redirect Instruction can only be issued on a currently pending reservation."),
    40130: (400, "Dequeue Instruction does not have a valid 'post_work_activity_sid' provided."),
    40131: (400, "Dequeue Instruction does not have a valid 'to' parameter"),
    40132: (400, "Dequeue Instruction does not have a valid 'from' parameter"),
    40134: (400, "Dequeue Instruction does not have a valid 'status_callback_events' parameter"),
    40135: (400, "Dequeue Instruction can only be issued on a currently pending reservation."),
    40136: (400, "Conference Instruction can only be issued on a currently pending reservation."),
    40137: (400, "Missing 'to' parameter when issuing Conference instruction"),
    40138: (400, "Missing 'from' parameter when issuing Conference instruction"),
    40140: (400, "Failed to issue Dequeue instruction due to missing 'call_sid' property"),
    40142: (400, "Failed to issue Conference instruction due to missing 'call_sid' or "
                 "'outbound_to' properties"),
    40143: (400, "Conference Instruction does not have a valid 'post_work_activity_sid' provided."),
    45002: (401, "Authentication Error"),
    45050: (400, "Authentication error - Missing User Attributes"),
    45101: (404, "Configuration Not Found"),
    # Conversations, Flex Interactions, Studio
    45354: (400, "Cannot create a Channel for a closed Conversation."),
    45358: (400, "Failed to close Channel.  Missing status parameter."),
    45359: (400, "Failed to close Channel.  Invalid status parameter."),
    45366: (400, "Failed to create Channel.  Invalid request parameters."),
    45367: (400, "Failed to add Participant.  Invalid request parameters."),
    45376: (400, "Failed to add a participant.  Conversation was closed or not found."),
    50304: (400, "Programmable Chat: Attributes not valid JSON"),
    50353: (409, "Conversation with provided unique name already exists"),
    50361: (400, "Too many conversation webhooks"),
    50367: (400, "Invalid conversation webhook flow SID"),
    50369: (400, "Conversation webhook URL not provided"),
    50371: (400, "Conversation webhook trigger not provided"),
    50375: (400, "TimeToInactive should be greater or equal to 1 minute"),
    50376: (400, "TimeToClosed should be greater or equal to 10 minutes"),
    50377: (400, "Can't update conversation as it's in final closed state"),
    50379: (400, "TimeToInactive format is invalid"),
    50380: (400, "TimeToClosed format is invalid"),
    50384: (400, "Initial state can't be 'closed"),
    50407: (400, "Invalid messaging binding address"),
    50409: (400, "Participant address equals proxy address"),
    50412: (400, "Participant proxy address is empty"),
    50413: (400, "Account is not authorized to use proxy address"),
    50416: (409, "Participant and proxy address pair is already in use"),
    50433: (409, "Participant already exists"),
}

# Codes Twilio documents that are newer than the error list snapshot in
# ../shared/reference (2019), each with the page that documents it.
DOCUMENTED_AFTER_SNAPSHOT = {
    45050: "https://www.twilio.com/docs/api/errors/45050",
    20412: "https://www.twilio.com/docs/api/errors/20412",
}


class TwilioError(Exception):
    def __init__(self, code: int, message: str | None = None, status: int | None = None):
        default_status, default_message = CATALOGUE[code]
        self.code = code
        self.status = status or default_status
        self.message = message or default_message
        self.unnamed = False
        super().__init__(f"{self.code}: {self.message}")

    def body(self) -> dict:
        return {
            "code": self.code,
            "message": self.message,
            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
            "status": self.status,
        }

    @classmethod
    def not_found(cls, path: str | None = None) -> "TwilioError":
        """20404 naming ``path``; without one, the door answering names the request's path."""
        error = cls(20404, f"The requested resource {path} was not found" if path else None)
        error.unnamed = path is None
        return error

    @classmethod
    def invalid(cls, name: str, detail: str) -> "TwilioError":
        return cls(20422, f"Invalid parameter '{name}': {detail}")

    @classmethod
    def check_range(cls, name: str, number: int, minimum: int | None, maximum: int | None):
        """20422 when ``number`` lies outside the bounds given (None: unbounded)."""
        if (minimum is None or number >= minimum) and (maximum is None or number <= maximum):
            return
        if minimum is not None and maximum is not None:
            raise cls.invalid(name, f"must be between {minimum} and {maximum}")
        raise cls.invalid(name, f"must be at least {minimum}" if minimum is not None
                          else f"must be at most {maximum}")
