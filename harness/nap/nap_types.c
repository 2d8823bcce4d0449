/* The NAP structure descriptions (see nap_types.h).  Limits are the
 * reference's (NapTypes.h) so that generators stay within what a valid
 * caller builds. */
#include "nap_types.h"

/* ---- Leaves: bytes that hold no pointer --------------------------------- */

static const shape_type t_byte = SHAPE_LEAF_TYPE(BYTE);
static const shape_type t_wchar = SHAPE_LEAF_TYPE(WCHAR);
static const shape_type t_hresult = SHAPE_LEAF_TYPE(HRESULT);
static const shape_type t_uint8 = SHAPE_LEAF_TYPE(UINT8);
static const shape_type t_entity_id = SHAPE_LEAF_TYPE(SystemHealthEntityId);
static const shape_type t_filetime = SHAPE_LEAF_TYPE(FILETIME);
static const shape_type t_guid = SHAPE_LEAF_TYPE(GUID);
static const shape_type t_ipv4 = SHAPE_LEAF_TYPE(Ipv4Address);
static const shape_type t_ipv6 = SHAPE_LEAF_TYPE(Ipv6Address);

static const shape_type t_connection =
    SHAPE_COM_NAMED("INapEnforcementClientConnection*", INapEnforcementClientConnection *);

/* ---- Structures --------------------------------------------------------- */

static const shape_member counted_string_m[] = {
    SHAPE_SCALAR(CountedString, length),
    SHAPE_STRING(CountedString, string, t_wchar, length, maxStringLength),
};
const shape_type nap_type_CountedString = SHAPE_TYPE(CountedString, counted_string_m);

static const shape_member result_codes_m[] = {
    SHAPE_SCALAR(ResultCodes, count),
    SHAPE_ARRAY(ResultCodes, results, t_hresult, count, maxDwordCountPerSoHAttribute),
};
const shape_type nap_type_ResultCodes = SHAPE_TYPE(ResultCodes, result_codes_m);

static const shape_member fixup_info_m[] = {
    SHAPE_SCALAR(FixupInfo, state),
    SHAPE_SCALAR(FixupInfo, percentage),
    SHAPE_EMBED(FixupInfo, resultCodes, nap_type_ResultCodes),
    SHAPE_SCALAR(FixupInfo, fixupMsgId),
};
const shape_type nap_type_FixupInfo = SHAPE_TYPE(FixupInfo, fixup_info_m);

static const shape_member isolation_info_m[] = {
    SHAPE_SCALAR(IsolationInfo, isolationState),
    SHAPE_EMBED(IsolationInfo, probEndTime, t_filetime),
    SHAPE_EMBED(IsolationInfo, failureUrl, nap_type_CountedString),
};
const shape_type nap_type_IsolationInfo = SHAPE_TYPE(IsolationInfo, isolation_info_m);

static const shape_member isolation_info_ex_m[] = {
    SHAPE_SCALAR(IsolationInfoEx, isolationState),
    SHAPE_SCALAR(IsolationInfoEx, extendedIsolationState),
    SHAPE_EMBED(IsolationInfoEx, probEndTime, t_filetime),
    SHAPE_EMBED(IsolationInfoEx, failureUrl, nap_type_CountedString),
};
const shape_type nap_type_IsolationInfoEx = SHAPE_TYPE(IsolationInfoEx, isolation_info_ex_m);

/* In a SoH the value is raw bytes whatever the type says: only
 * FreeSoHAttributeValue interprets a type. */
static const shape_member soh_attribute_m[] = {
    SHAPE_SCALAR(SoHAttribute, type),
    SHAPE_SCALAR(SoHAttribute, size),
    SHAPE_ARRAY(SoHAttribute, value, t_byte, size, maxSoHAttributeSize),
};
const shape_type nap_type_SoHAttribute = SHAPE_TYPE(SoHAttribute, soh_attribute_m);

static const shape_member soh_m[] = {
    SHAPE_SCALAR(SoH, count),
    SHAPE_ARRAY(SoH, attributes, nap_type_SoHAttribute, count, maxSoHAttributeCount),
};
const shape_type nap_type_SoH = SHAPE_TYPE(SoH, soh_m);

static const shape_member network_soh_m[] = {
    SHAPE_SCALAR(NetworkSoH, size),
    SHAPE_ARRAY(NetworkSoH, data, t_byte, size, maxNetworkSoHSize),
};
const shape_type nap_type_NetworkSoH = SHAPE_TYPE(NetworkSoH, network_soh_m);

static const shape_member private_data_m[] = {
    SHAPE_SCALAR(PrivateData, size),
    SHAPE_ARRAY(PrivateData, data, t_byte, size, maxPrivateDataSize),
};
const shape_type nap_type_PrivateData = SHAPE_TYPE(PrivateData, private_data_m);

static const shape_member sha_state_m[] = {
    SHAPE_SCALAR(SystemHealthAgentState, id),
    SHAPE_EMBED(SystemHealthAgentState, shaResultCodes, nap_type_ResultCodes),
    SHAPE_SCALAR(SystemHealthAgentState, failureCategory),
    SHAPE_EMBED(SystemHealthAgentState, fixupInfo, nap_type_FixupInfo),
};
const shape_type nap_type_SystemHealthAgentState =
    SHAPE_TYPE(SystemHealthAgentState, sha_state_m);

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
const shape_type nap_type_NapComponentRegistrationInfo =
    SHAPE_TYPE(NapComponentRegistrationInfo, registration_m);

static const shape_member connections_m[] = {
    SHAPE_SCALAR(Connections, count),
    SHAPE_ARRAY(Connections, connections, t_connection, count, maxConnectionCountPerEnforcer),
};
const shape_type nap_type_Connections = SHAPE_TYPE(Connections, connections_m);

/* ---- SoHAttributeValue: the union and its arms -------------------------- */

typedef struct tagIpv4AddressesVal V4;
typedef struct tagIpv6AddressesVal V6;
typedef struct tagVendorSpecificVal Vendor;
typedef struct tagOctetStringVal Octets;

static const shape_member v4_m[] = {
    SHAPE_SCALAR(V4, count),
    SHAPE_ARRAY(V4, addresses, t_ipv4, count, maxIpv4CountPerSoHAttribute),
};
static const shape_type t_v4 = SHAPE_TYPE_NAMED("v4AddressesVal", V4, v4_m);

static const shape_member v6_m[] = {
    SHAPE_SCALAR(V6, count),
    SHAPE_ARRAY(V6, addresses, t_ipv6, count, maxIpv6CountPerSoHAttribute),
};
static const shape_type t_v6 = SHAPE_TYPE_NAMED("v6AddressesVal", V6, v6_m);

/* The vendor id takes 4 of the attribute's maxSoHAttributeSize bytes. */
static const shape_member vendor_m[] = {
    SHAPE_SCALAR(Vendor, vendorId),
    SHAPE_SCALAR(Vendor, size),
    SHAPE_ARRAY(Vendor, vendorSpecificData, t_byte, size, maxSoHAttributeSize - 4),
};
static const shape_type t_vendor = SHAPE_TYPE_NAMED("vendorSpecificVal", Vendor, vendor_m);

static const shape_member octets_m[] = {
    SHAPE_SCALAR(Octets, size),
    SHAPE_ARRAY(Octets, data, t_byte, size, maxSoHAttributeSize),
};
static const shape_type t_octets = SHAPE_TYPE_NAMED("octetStringVal", Octets, octets_m);

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

const shape_type nap_type_SoHAttributeValue =
    SHAPE_UNION_TYPE(SoHAttributeValue, value_arms, value_tags, ARM_OCTETS);
