/* fake-provider-util.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Plumbing shared by the provider fakes (fake-kling.c, fake-sora.c): a
 * SoupServer on 127.0.0.1, answers libsoup would not send (a stalled or
 * truncated body, 100 000 nested brackets), switchable faults and the
 * real MP4 the fakes serve as a finished clip. */

typedef struct
{
  gboolean on;
  guint    remaining; /* 0: every request */
} FakeFault;

/* Switches @fault on for the next @times hits (0 = until cleared). */
void        fake_fault_set          (FakeFault  *fault,
                                     guint       times);
/* TRUE when the fault applies to this request (and counts it down). */
gboolean    fake_fault_hit          (FakeFault  *fault);

typedef struct _FakeServer FakeServer;

/* Listens on 127.0.0.1:@port (0: a free one) and hands every request to
 * @callback; aborts when it cannot. */
FakeServer *fake_server_new         (guint               port,
                                     const char         *server_header,
                                     SoupServerCallback  callback,
                                     gpointer            user_data);
void        fake_server_free        (FakeServer        *self);
/* "http://127.0.0.1:PORT" */
const char *fake_server_get_base_url (FakeServer       *self);

void        fake_respond_json       (SoupServerMessage *msg,
                                     guint              status,
                                     const char        *json);
void        fake_respond_node       (SoupServerMessage *msg,
                                     guint              status,
                                     JsonNode          *node);
/* 200 with 100 000 nested arrays */
void        fake_respond_deep       (SoupServerMessage *msg);
/* 200 "application/json" that is not JSON */
void        fake_respond_malformed  (SoupServerMessage *msg);

/* Serves @bytes (Range answered with 206). With @stall, half the body is
 * sent and the connection then kept silent; with @truncate, half the
 * body and the connection closes. */
void        fake_server_serve_bytes (FakeServer        *self,
                                     SoupServerMessage *msg,
                                     GBytes            *bytes,
                                     const char        *content_type,
                                     gboolean           stall,
                                     gboolean           truncate);

/* A real H.264 MP4 (moov first, 1 s, 160x90), made once per process. */
GBytes     *fake_make_test_clip     (void);

/* A real PNG picture of @width × @height (a test pattern) */
GBytes     *fake_make_test_png      (int                width,
                                     int                height);

/* The body of a request parsed as a JSON object, NULL if it is not one. */
JsonObject *fake_request_json       (SoupServerMessage *msg);

G_END_DECLS
