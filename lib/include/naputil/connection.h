/* INapEnforcementClientConnection in the standard COM C binding
 * (NapEnforcementClient.h) and the Connections structure that holds such
 * interface pointers.  Included by naputil.h. */
#ifndef NAPUTIL_CONNECTION_H
#define NAPUTIL_CONNECTION_H

#include "structs.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct INapEnforcementClientBinding INapEnforcementClientBinding;
typedef struct INapEnforcementClientConnection INapEnforcementClientConnection;

typedef struct INapEnforcementClientConnectionVtbl {
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(INapEnforcementClientConnection *This, REFIID riid,
                                               void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(INapEnforcementClientConnection *This);
    ULONG(STDMETHODCALLTYPE *Release)(INapEnforcementClientConnection *This);
    HRESULT(STDMETHODCALLTYPE *Initialize)(INapEnforcementClientConnection *This,
                                           EnforcementEntityId enforcementEntityId,
                                           INapEnforcementClientBinding *binding);
    HRESULT(STDMETHODCALLTYPE *SetMaxSize)(INapEnforcementClientConnection *This,
                                           ProtocolMaxSize maxSize);
    HRESULT(STDMETHODCALLTYPE *GetMaxSize)(INapEnforcementClientConnection *This,
                                           ProtocolMaxSize *maxSize);
    HRESULT(STDMETHODCALLTYPE *SetFlags)(INapEnforcementClientConnection *This, UINT32 flags);
    HRESULT(STDMETHODCALLTYPE *GetFlags)(INapEnforcementClientConnection *This, UINT32 *flags);
    HRESULT(STDMETHODCALLTYPE *SetConnectionId)(INapEnforcementClientConnection *This,
                                                const ConnectionId *connectionId);
    HRESULT(STDMETHODCALLTYPE *GetConnectionId)(INapEnforcementClientConnection *This,
                                                ConnectionId **connectionId);
    HRESULT(STDMETHODCALLTYPE *GetCorrelationId)(INapEnforcementClientConnection *This,
                                                 CorrelationId *correlationId);
    HRESULT(STDMETHODCALLTYPE *GetStringCorrelationId)(INapEnforcementClientConnection *This,
                                                       StringCorrelationId **correlationId);
    HRESULT(STDMETHODCALLTYPE *SetCorrelationId)(INapEnforcementClientConnection *This,
                                                 CorrelationId correlationId);
    HRESULT(STDMETHODCALLTYPE *SetSoHRequest)(INapEnforcementClientConnection *This,
                                              const NetworkSoHRequest *sohRequest);
    HRESULT(STDMETHODCALLTYPE *GetSoHRequest)(INapEnforcementClientConnection *This,
                                              NetworkSoHRequest **sohRequest);
    HRESULT(STDMETHODCALLTYPE *SetSoHResponse)(INapEnforcementClientConnection *This,
                                               const NetworkSoHResponse *sohResponse);
    HRESULT(STDMETHODCALLTYPE *GetSoHResponse)(INapEnforcementClientConnection *This,
                                               NetworkSoHResponse **sohResponse);
    HRESULT(STDMETHODCALLTYPE *SetIsolationInfo)(INapEnforcementClientConnection *This,
                                                 const IsolationInfo *isolationInfo);
    HRESULT(STDMETHODCALLTYPE *GetIsolationInfo)(INapEnforcementClientConnection *This,
                                                 IsolationInfo **isolationInfo);
    HRESULT(STDMETHODCALLTYPE *SetPrivateData)(INapEnforcementClientConnection *This,
                                               const PrivateData *privateData);
    HRESULT(STDMETHODCALLTYPE *GetPrivateData)(INapEnforcementClientConnection *This,
                                               PrivateData **privateData);
    HRESULT(STDMETHODCALLTYPE *SetEnforcerPrivateData)(INapEnforcementClientConnection *This,
                                                       const PrivateData *privateData);
    HRESULT(STDMETHODCALLTYPE *GetEnforcerPrivateData)(INapEnforcementClientConnection *This,
                                                       PrivateData **privateData);
} INapEnforcementClientConnectionVtbl;

struct INapEnforcementClientConnection {
    const INapEnforcementClientConnectionVtbl *lpVtbl;
};

#define INapEnforcementClientConnection_QueryInterface(This, riid, ppvObject) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObject))
#define INapEnforcementClientConnection_AddRef(This) ((This)->lpVtbl->AddRef(This))
#define INapEnforcementClientConnection_Release(This) ((This)->lpVtbl->Release(This))
#define INapEnforcementClientConnection_Initialize(This, id, binding) \
    ((This)->lpVtbl->Initialize(This, id, binding))
#define INapEnforcementClientConnection_SetMaxSize(This, v) ((This)->lpVtbl->SetMaxSize(This, v))
#define INapEnforcementClientConnection_GetMaxSize(This, v) ((This)->lpVtbl->GetMaxSize(This, v))
#define INapEnforcementClientConnection_SetFlags(This, v) ((This)->lpVtbl->SetFlags(This, v))
#define INapEnforcementClientConnection_GetFlags(This, v) ((This)->lpVtbl->GetFlags(This, v))
#define INapEnforcementClientConnection_SetConnectionId(This, v) \
    ((This)->lpVtbl->SetConnectionId(This, v))
#define INapEnforcementClientConnection_GetConnectionId(This, v) \
    ((This)->lpVtbl->GetConnectionId(This, v))
#define INapEnforcementClientConnection_GetCorrelationId(This, v) \
    ((This)->lpVtbl->GetCorrelationId(This, v))
#define INapEnforcementClientConnection_GetStringCorrelationId(This, v) \
    ((This)->lpVtbl->GetStringCorrelationId(This, v))
#define INapEnforcementClientConnection_SetCorrelationId(This, v) \
    ((This)->lpVtbl->SetCorrelationId(This, v))
#define INapEnforcementClientConnection_SetSoHRequest(This, v) \
    ((This)->lpVtbl->SetSoHRequest(This, v))
#define INapEnforcementClientConnection_GetSoHRequest(This, v) \
    ((This)->lpVtbl->GetSoHRequest(This, v))
#define INapEnforcementClientConnection_SetSoHResponse(This, v) \
    ((This)->lpVtbl->SetSoHResponse(This, v))
#define INapEnforcementClientConnection_GetSoHResponse(This, v) \
    ((This)->lpVtbl->GetSoHResponse(This, v))
#define INapEnforcementClientConnection_SetIsolationInfo(This, v) \
    ((This)->lpVtbl->SetIsolationInfo(This, v))
#define INapEnforcementClientConnection_GetIsolationInfo(This, v) \
    ((This)->lpVtbl->GetIsolationInfo(This, v))
#define INapEnforcementClientConnection_SetPrivateData(This, v) \
    ((This)->lpVtbl->SetPrivateData(This, v))
#define INapEnforcementClientConnection_GetPrivateData(This, v) \
    ((This)->lpVtbl->GetPrivateData(This, v))
#define INapEnforcementClientConnection_SetEnforcerPrivateData(This, v) \
    ((This)->lpVtbl->SetEnforcerPrivateData(This, v))
#define INapEnforcementClientConnection_GetEnforcerPrivateData(This, v) \
    ((This)->lpVtbl->GetEnforcerPrivateData(This, v))

typedef struct tagConnections {
    UINT16 count;
    INapEnforcementClientConnection **connections;
} Connections;

#ifdef __cplusplus
}
#endif

#endif
