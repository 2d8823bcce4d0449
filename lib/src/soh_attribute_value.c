/* FreeSoHAttributeValue: the type tag selects which union arm, if any,
 * holds an embedded pointer. */
#include "naputil.h"

void WINAPI FreeSoHAttributeValue(SoHAttributeType type, SoHAttributeValue *value)
{
    if (value == NULL)
        return;
    switch (type) {
    case sohAttributeTypeIpv4FixupServers:
        CoTaskMemFree(value->v4AddressesVal.addresses);
        break;
    case sohAttributeTypeIpv6FixupServers:
        CoTaskMemFree(value->v6AddressesVal.addresses);
        break;
    case sohAttributeTypeComplianceResultCodes:
    case sohAttributeTypeErrorCodes:
        CoTaskMemFree(value->codesVal.results);
        break;
    case sohAttributeTypeVendorSpecific:
        CoTaskMemFree(value->vendorSpecificVal.vendorSpecificData);
        break;
    case sohAttributeTypeSystemHealthId:
    case sohAttributeTypeTimeOfLastUpdate:
    case sohAttributeTypeSoHGenerationTime:
    case sohAttributeTypeHealthClass:
    case sohAttributeTypeFailureCategory:
    case sohAttributeTypeExtendedIsolationState:
        break;
    case sohAttributeTypeClientId:
    case sohAttributeTypeSoftwareVersion:
    case sohAttributeTypeProductName:
    case sohAttributeTypeHealthClassStatus:
    default:
        /* The reference returns unrecognised types as octet strings. */
        CoTaskMemFree(value->octetStringVal.data);
        break;
    }
    CoTaskMemFree(value);
}
