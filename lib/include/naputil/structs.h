/* The NAP data structures and enumerations (NapTypes.h, NapProtocol.h) with
 * the reference's member names.  Included by naputil.h. */
#ifndef NAPUTIL_STRUCTS_H
#define NAPUTIL_STRUCTS_H

#include "types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef UINT32 SystemHealthEntityId;
typedef UINT32 EnforcementEntityId;
typedef UINT32 NapComponentId;
typedef UINT32 MessageId;
typedef UINT32 ProtocolMaxSize;
typedef GUID ConnectionId;

typedef enum tagIsolationState {
    isolationStateNotRestricted = 1,
    isolationStateInProbation = 2,
    isolationStateRestrictedAccess = 3
} IsolationState;

typedef enum tagExtendedIsolationState {
    extendedIsolationStateNoData = 0,
    extendedIsolationStateTransition = 1,
    extendedIsolationStateInfected = 2,
    extendedIsolationStateUnknown = 3
} ExtendedIsolationState;

typedef enum tagNapTracingLevel {
    tracingLevelUndefined = 0,
    tracingLevelBasic = 1,
    tracingLevelAdvanced = 2,
    tracingLevelDebug = 3
} NapTracingLevel;

typedef enum tagFailureCategory {
    failureCategoryNone = 0,
    failureCategoryOther = 1,
    failureCategoryClientComponent = 2,
    failureCategoryClientCommunication = 3,
    failureCategoryServerComponent = 4,
    failureCategoryServerCommunication = 5
} FailureCategory;

typedef enum tagFixupState {
    fixupStateSuccess = 0,
    fixupStateInProgress = 1,
    fixupStateCouldNotUpdate = 2
} FixupState;

typedef enum tagNapNotifyType {
    napNotifyTypeUnknown = 0,
    napNotifyTypeServiceState = 1,
    napNotifyTypeQuarState = 2
} NapNotifyType;

typedef enum tagSoHAttributeType {
    sohAttributeTypeSystemHealthId = 2,
    sohAttributeTypeIpv4FixupServers = 3,
    sohAttributeTypeComplianceResultCodes = 4,
    sohAttributeTypeTimeOfLastUpdate = 5,
    sohAttributeTypeClientId = 6,
    sohAttributeTypeVendorSpecific = 7,
    sohAttributeTypeHealthClass = 8,
    sohAttributeTypeSoftwareVersion = 9,
    sohAttributeTypeProductName = 10,
    sohAttributeTypeHealthClassStatus = 11,
    sohAttributeTypeSoHGenerationTime = 12,
    sohAttributeTypeErrorCodes = 13,
    sohAttributeTypeFailureCategory = 14,
    sohAttributeTypeIpv6FixupServers = 15,
    sohAttributeTypeExtendedIsolationState = 16
} SoHAttributeType;

typedef struct tagCountedString {
    UINT16 length;
    WCHAR *string;
} CountedString;

typedef CountedString StringCorrelationId;

typedef struct tagResultCodes {
    UINT16 count;
    HRESULT *results;
} ResultCodes;

typedef struct tagFixupInfo {
    FixupState state;
    UINT8 percentage;
    ResultCodes resultCodes;
    MessageId fixupMsgId;
} FixupInfo;

typedef struct tagIsolationInfo {
    IsolationState isolationState;
    FILETIME probEndTime;
    CountedString failureUrl;
} IsolationInfo;

typedef struct tagIsolationInfoEx {
    IsolationState isolationState;
    ExtendedIsolationState extendedIsolationState;
    FILETIME probEndTime;
    CountedString failureUrl;
} IsolationInfoEx;

typedef struct tagFailureCategoryMapping {
    BOOL mappingCompliance[failureCategoryCount];
} FailureCategoryMapping;

typedef struct tagCorrelationId {
    ConnectionId connId;
    FILETIME timeStamp;
} CorrelationId;

typedef struct tagSoHAttribute {
    UINT16 type;
    UINT16 size;
    BYTE *value;
} SoHAttribute;

typedef struct tagSoH {
    UINT16 count;
    SoHAttribute *attributes;
} SoH, SoHRequest, SoHResponse;

typedef struct tagNetworkSoH {
    UINT16 size;
    BYTE *data;
} NetworkSoH, NetworkSoHRequest, NetworkSoHResponse;

typedef struct tagPrivateData {
    UINT16 size;
    BYTE *data;
} PrivateData;

typedef struct tagSystemHealthAgentState {
    SystemHealthEntityId id;
    ResultCodes shaResultCodes;
    FailureCategory failureCategory;
    FixupInfo fixupInfo;
} SystemHealthAgentState;

typedef struct tagNapComponentRegistrationInfo {
    NapComponentId id;
    CountedString friendlyName;
    CountedString description;
    CountedString version;
    CountedString vendorName;
    CLSID infoClsid;
    CLSID configClsid;
    FILETIME registrationDate;
    UINT32 componentType;
} NapComponentRegistrationInfo;

typedef struct tagIpv4Address {
    BYTE addr[4];
} Ipv4Address;

typedef struct tagIpv6Address {
    BYTE addr[16];
} Ipv6Address;

typedef union tagSoHAttributeValue {
    SystemHealthEntityId idVal;
    struct tagIpv4AddressesVal {
        UINT16 count;
        Ipv4Address *addresses;
    } v4AddressesVal;
    struct tagIpv6AddressesVal {
        UINT16 count;
        Ipv6Address *addresses;
    } v6AddressesVal;
    ResultCodes codesVal;
    FILETIME dateTimeVal;
    struct tagVendorSpecificVal {
        UINT32 vendorId;
        UINT16 size;
        BYTE *vendorSpecificData;
    } vendorSpecificVal;
    UINT8 uint8Val;
    struct tagOctetStringVal {
        UINT16 size;
        BYTE *data;
    } octetStringVal;
} SoHAttributeValue;

#ifdef __cplusplus
}
#endif

#endif
