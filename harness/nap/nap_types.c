/* The NAP structure descriptions (see nap_types.h).  Limits are the
 * reference's (NapTypes.h) so that generators stay within what a valid
 * caller builds. */
#include "nap_types.h"

/* ---- Leaves: bytes that hold no pointer --------------------------------- */

#define LEAF(var, label, ctype) \
    static const shape_type var = {label, SHAPE_LEAF, sizeof(ctype), NULL, 0, NULL, 0, 0}

LEAF(t_byte, "BYTE", BYTE);
LEAF(t_wchar, "WCHAR", WCHAR);
LEAF(t_hresult, "HRESULT", HRESULT);
LEAF(t_uint8, "UINT8", UINT8);
LEAF(t_entity_id, "SystemHealthEntityId", SystemHealthEntityId);
LEAF(t_filetime, "FILETIME", FILETIME);
LEAF(t_guid, "GUID", GUID);
LEAF(t_ipv4, "Ipv4Address", Ipv4Address);
LEAF(t_ipv6, "Ipv6Address", Ipv6Address);

static const shape_type t_connection = {"INapEnforcementClientConnection*", SHAPE_COM,
                                        sizeof(INapEnforcementClientConnection *), NULL, 0,
                                        NULL, 0, 0};

#define STRUCT(var, label, ctype, members) \
    const shape_type var = {label, SHAPE_STRUCT, sizeof(ctype), SHAPE_MEMBERS(members), NULL, 0, 0}

/* ---- Structures --------------------------------------------------------- */

static const shape_member counted_string_m[] = {
    SHAPE_SCALAR(CountedString, length),
    SHAPE_STRING(CountedString, string, t_wchar, length, maxStringLength),
};
STRUCT(nap_type_CountedString, "CountedString", CountedString, counted_string_m);

static const shape_member result_codes_m[] = {
    SHAPE_SCALAR(ResultCodes, count),
    SHAPE_ARRAY(ResultCodes, results, t_hresult, count, maxDwordCountPerSoHAttribute),
};
STRUCT(nap_type_ResultCodes, "ResultCodes", ResultCodes, result_codes_m);

static const shape_member fixup_info_m[] = {
    SHAPE_SCALAR(FixupInfo, state),
    SHAPE_SCALAR(FixupInfo, percentage),
    SHAPE_EMBED(FixupInfo, resultCodes, nap_type_ResultCodes),
    SHAPE_SCALAR(FixupInfo, fixupMsgId),
};
STRUCT(nap_type_FixupInfo, "FixupInfo", FixupInfo, fixup_info_m);

static const shape_member isolation_info_m[] = {
    SHAPE_SCALAR(IsolationInfo, isolationState),
    SHAPE_EMBED(IsolationInfo, probEndTime, t_filetime),
    SHAPE_EMBED(IsolationInfo, failureUrl, nap_type_CountedString),
};
STRUCT(nap_type_IsolationInfo, "IsolationInfo", IsolationInfo, isolation_info_m);

static const shape_member isolation_info_ex_m[] = {
    SHAPE_SCALAR(IsolationInfoEx, isolationState),
    SHAPE_SCALAR(IsolationInfoEx, extendedIsolationState),
    SHAPE_EMBED(IsolationInfoEx, probEndTime, t_filetime),
    SHAPE_EMBED(IsolationInfoEx, failureUrl, nap_type_CountedString),
};
STRUCT(nap_type_IsolationInfoEx, "IsolationInfoEx", IsolationInfoEx, isolation_info_ex_m);

/* In a SoH the value is raw bytes whatever the type says: only
 * FreeSoHAttributeValue interprets a type. */
static const shape_member soh_attribute_m[] = {
    SHAPE_SCALAR(SoHAttribute, type),
    SHAPE_SCALAR(SoHAttribute, size),
    SHAPE_ARRAY(SoHAttribute, value, t_byte, size, maxSoHAttributeSize),
};
STRUCT(nap_type_SoHAttribute, "SoHAttribute", SoHAttribute, soh_attribute_m);

static const shape_member soh_m[] = {
    SHAPE_SCALAR(SoH, count),
    SHAPE_ARRAY(SoH, attributes, nap_type_SoHAttribute, count, maxSoHAttributeCount),
};
STRUCT(nap_type_SoH, "SoH", SoH, soh_m);

static const shape_member network_soh_m[] = {
    SHAPE_SCALAR(NetworkSoH, size),
    SHAPE_ARRAY(NetworkSoH, data, t_byte, size, maxNetworkSoHSize),
};
STRUCT(nap_type_NetworkSoH, "NetworkSoH", NetworkSoH, network_soh_m);

static const shape_member private_data_m[] = {
    SHAPE_SCALAR(PrivateData, size),
    SHAPE_ARRAY(PrivateData, data, t_byte, size, maxPrivateDataSize),
};
STRUCT(nap_type_PrivateData, "PrivateData", PrivateData, private_data_m);

static const shape_member sha_state_m[] = {
    SHAPE_SCALAR(SystemHealthAgentState, id),
    SHAPE_EMBED(SystemHealthAgentState, shaResultCodes, nap_type_ResultCodes),
    SHAPE_SCALAR(SystemHealthAgentState, failureCategory),
    SHAPE_EMBED(SystemHealthAgentState, fixupInfo, nap_type_FixupInfo),
};
STRUCT(nap_type_SystemHealthAgentState, "SystemHealthAgentState", SystemHealthAgentState,
       sha_state_m);

static const shape_member registration_m[] = {
    SHAPE_SCALAR(NapComponentRegistrationInfo, id),
    SHAPE_EMBED(NapComponentRegistrationInfo, friendlyName, nap_type_CountedString),
    SHAPE_EMBED(NapComponentRegistrationInfo, description, nap_type_CountedString),
    SHAPE_EMBED(NapComponentRegistrationInfo, version, nap_type_CountedString),
    SHAPE_EMBED(NapComponentRegistrationInfo, vendorName, nap_type_CountedString),
    SHAPE_EMBED(NapComponentRegistrationInfo, infoClsid, t_guid),
    SHAPE_EMBED(NapComponentRegistrationInfo, configClsid, t_guid),
    SHAPE_EMBED(NapComponentRegistrationInfo, registrationDate, t_filetime),
    SHAPE_SCALAR(NapComponentRegistrationInfo, componentType),
};
STRUCT(nap_type_NapComponentRegistrationInfo, "NapComponentRegistrationInfo",
       NapComponentRegistrationInfo, registration_m);

static const shape_member connections_m[] = {
    SHAPE_SCALAR(Connections, count),
    SHAPE_ARRAY(Connections, connections, t_connection, count, maxConnectionCountPerEnforcer),
};
STRUCT(nap_type_Connections, "Connections", Connections, connections_m);

/* ---- SoHAttributeValue: the union and its arms -------------------------- */

typedef struct tagIpv4AddressesVal V4;
typedef struct tagIpv6AddressesVal V6;
typedef struct tagVendorSpecificVal Vendor;
typedef struct tagOctetStringVal Octets;

static const shape_member v4_m[] = {
    SHAPE_SCALAR(V4, count),
    SHAPE_ARRAY(V4, addresses, t_ipv4, count, maxIpv4CountPerSoHAttribute),
};
static STRUCT(t_v4, "v4AddressesVal", V4, v4_m);

static const shape_member v6_m[] = {
    SHAPE_SCALAR(V6, count),
    SHAPE_ARRAY(V6, addresses, t_ipv6, count, maxIpv6CountPerSoHAttribute),
};
static STRUCT(t_v6, "v6AddressesVal", V6, v6_m);

/* The vendor id takes 4 of the attribute's maxSoHAttributeSize bytes. */
static const shape_member vendor_m[] = {
    SHAPE_SCALAR(Vendor, vendorId),
    SHAPE_SCALAR(Vendor, size),
    SHAPE_ARRAY(Vendor, vendorSpecificData, t_byte, size, maxSoHAttributeSize - 4),
};
static STRUCT(t_vendor, "vendorSpecificVal", Vendor, vendor_m);

static const shape_member octets_m[] = {
    SHAPE_SCALAR(Octets, size),
    SHAPE_ARRAY(Octets, data, t_byte, size, maxSoHAttributeSize),
};
static STRUCT(t_octets, "octetStringVal", Octets, octets_m);

enum { ARM_ID, ARM_V4, ARM_V6, ARM_CODES, ARM_DATE, ARM_VENDOR, ARM_UINT8, ARM_OCTETS };

static const shape_member value_arms[] = {
    [ARM_ID] = SHAPE_EMBED(SoHAttributeValue, idVal, t_entity_id),
    [ARM_V4] = SHAPE_EMBED(SoHAttributeValue, v4AddressesVal, t_v4),
    [ARM_V6] = SHAPE_EMBED(SoHAttributeValue, v6AddressesVal, t_v6),
    [ARM_CODES] = SHAPE_EMBED(SoHAttributeValue, codesVal, nap_type_ResultCodes),
    [ARM_DATE] = SHAPE_EMBED(SoHAttributeValue, dateTimeVal, t_filetime),
    [ARM_VENDOR] = SHAPE_EMBED(SoHAttributeValue, vendorSpecificVal, t_vendor),
    [ARM_UINT8] = SHAPE_EMBED(SoHAttributeValue, uint8Val, t_uint8),
    [ARM_OCTETS] = SHAPE_EMBED(SoHAttributeValue, octetStringVal, t_octets),
};

/* docs/CONTRACT.md section 4: which arm each SoHAttributeType selects; every
 * other value is returned as an octet string. */
static const shape_tag value_tags[] = {
    {sohAttributeTypeSystemHealthId, ARM_ID},
    {sohAttributeTypeIpv4FixupServers, ARM_V4},
    {sohAttributeTypeComplianceResultCodes, ARM_CODES},
    {sohAttributeTypeTimeOfLastUpdate, ARM_DATE},
    {sohAttributeTypeClientId, ARM_OCTETS},
    {sohAttributeTypeVendorSpecific, ARM_VENDOR},
    {sohAttributeTypeHealthClass, ARM_UINT8},
    {sohAttributeTypeSoftwareVersion, ARM_OCTETS},
    {sohAttributeTypeProductName, ARM_OCTETS},
    {sohAttributeTypeHealthClassStatus, ARM_OCTETS},
    {sohAttributeTypeSoHGenerationTime, ARM_DATE},
    {sohAttributeTypeErrorCodes, ARM_CODES},
    {sohAttributeTypeFailureCategory, ARM_UINT8},
    {sohAttributeTypeIpv6FixupServers, ARM_V6},
    {sohAttributeTypeExtendedIsolationState, ARM_ID},
};

const shape_type nap_type_SoHAttributeValue = {
    "SoHAttributeValue", SHAPE_UNION,   sizeof(SoHAttributeValue),
    SHAPE_MEMBERS(value_arms),          SHAPE_MEMBERS(value_tags),
    ARM_OCTETS,
};
