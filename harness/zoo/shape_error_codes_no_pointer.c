/* ZOO bug: FreeSoHAttributeValue takes the ErrorCodes arm for one that
 *          holds no pointer (only ComplianceResultCodes frees codesVal.results);
 *          the shape checker must name SoHAttributeValue.codesVal.results
 * expect: contract, shape, faults */
#include <string.h>

#include "naputil.h"

/* lib's sources that this entry leaves alone are included as they are; the
 * one it changes is copied below with its bug. */
#include "../../lib/src/alloc_zeroed.h"

#include "../../lib/src/connections.c"

#include "../../lib/src/counted_string.c"

#include "../../lib/src/fixup_info.c"

#include "../../lib/src/free_structures.c"

#include "../../lib/src/registration_info.c"

/* FreeSoHAttributeValue: the type tag selects which union arm, if any,
 * holds an embedded pointer. */

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
        CoTaskMemFree(value->codesVal.results);
        break;
    case sohAttributeTypeVendorSpecific:
        CoTaskMemFree(value->vendorSpecificVal.vendorSpecificData);
        break;
    case sohAttributeTypeErrorCodes:
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
