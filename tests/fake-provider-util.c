/* fake-provider-util.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-provider-util"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "fake-provider-util.h"

#define DEEP_NESTING 100000

void
fake_fault_set (FakeFault *fault,
                guint      times)
{
  fault->on = TRUE;
  fault->remaining = times;
}

gboolean
fake_fault_hit (FakeFault *fault)
{
  if (!fault->on)
    return FALSE;

  if (fault->remaining > 0 && --fault->remaining == 0)
    fault->on = FALSE;

  return TRUE;
}

struct _FakeServer
{
  SoupServer *server;
  char       *base_url;
  GPtrArray  *held_streams;
};

FakeServer *
fake_server_new (guint               port,
                 const char         *server_header,
                 SoupServerCallback  callback,
                 gpointer            user_data)
{
  FakeServer *self = g_new0 (FakeServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->held_streams = g_ptr_array_new_with_free_func (g_object_unref);
  self->server = soup_server_new ("server-header", server_header, NULL);
  soup_server_add_handler (self->server, NULL, callback, user_data, NULL);

  if (!soup_server_listen (self->server, address, 0, &error))
    g_error ("The fake provider could not listen on 127.0.0.1: %s", error->message);

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  return self;
}

void
fake_server_free (FakeServer *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->held_streams->len; i++)
    g_io_stream_close (g_ptr_array_index (self->held_streams, i), NULL, NULL);
  g_ptr_array_unref (self->held_streams);

  soup_server_disconnect (self->server);
  g_object_unref (self->server);
  g_free (self->base_url);
  g_free (self);
}

const char *
fake_server_get_base_url (FakeServer *self)
{
  return self->base_url;
}

void
fake_respond_json (SoupServerMessage *msg,
                   guint              status,
                   const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

void
fake_respond_node (SoupServerMessage *msg,
                   guint              status,
                   JsonNode          *node)
{
  g_autofree char *json = json_to_string (node, FALSE);

  fake_respond_json (msg, status, json);
}

void
fake_respond_deep (SoupServerMessage *msg)
{
  GString *deep = g_string_sized_new (2 * DEEP_NESTING);

  for (guint i = 0; i < DEEP_NESTING; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < DEEP_NESTING; i++)
    g_string_append_c (deep, ']');

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, deep->str, deep->len);
  g_string_free (deep, FALSE);
}

void
fake_respond_malformed (SoupServerMessage *msg)
{
  fake_respond_json (msg, 200, "{\"code\": 0, \"data\": {\"task_id\": \"1\", oops");
}

/* ---- Raw answers ---------------------------------------------------------------- */

typedef struct
{
  GIOStream *stream;
  GBytes    *bytes;
  gboolean   close_after;
} RawWrite;

static void
on_raw_written (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RawWrite *write = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);

  if (write->close_after)
    g_io_stream_close_async (write->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);

  g_object_unref (write->stream);
  g_bytes_unref (write->bytes);
  g_free (write);
}

static void
raw_write (GIOStream *stream,
           GBytes    *bytes,
           gboolean   close_after)
{
  RawWrite *write = g_new0 (RawWrite, 1);

  write->stream = g_object_ref (stream);
  write->bytes = g_bytes_ref (bytes);
  write->close_after = close_after;

  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_PRIORITY_DEFAULT, NULL, on_raw_written, write);
}

void
fake_server_serve_bytes (FakeServer        *self,
                         SoupServerMessage *msg,
                         GBytes            *bytes,
                         const char        *content_type,
                         gboolean           stall,
                         gboolean           truncate)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  const char *range = soup_message_headers_get_one (request_headers, "Range");
  gsize total = g_bytes_get_size (bytes);
  const char *data = g_bytes_get_data (bytes, NULL);
  goffset start = 0;
  gboolean ranged = FALSE;

  if (range != NULL)
    {
      long long first = -1;

      if (sscanf (range, "bytes=%lld-", &first) != 1 || first < 0)
        {
          fake_respond_json (msg, 400, "{\"error\":{\"message\":\"Only bytes=N- ranges are supported.\"}}");
          return;
        }

      if ((gsize)first >= total)
        {
          g_autofree char *content_range = g_strdup_printf ("bytes */%" G_GSIZE_FORMAT, total);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-Range", content_range);
          soup_server_message_set_status (msg, 416, NULL);
          return;
        }

      start = first;
      ranged = TRUE;
    }

  if (stall || truncate)
    {
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
      g_autofree char *headers = NULL;
      GByteArray *joined;
      g_autoptr(GBytes) part = NULL;
      gsize remaining = total - start;
      gsize half = remaining / 2;

      if (ranged)
        headers = g_strdup_printf ("HTTP/1.1 206 Partial Content\r\nContent-Type: %s\r\n"
                                   "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                   "Content-Range: bytes %" G_GOFFSET_FORMAT "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT "\r\n\r\n",
                                   content_type, remaining, start, total - 1, total);
      else
        headers = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: %s\r\n"
                                   "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", content_type, total);

      joined = g_byte_array_sized_new (strlen (headers) + half);
      g_byte_array_append (joined, (const guint8 *)headers, strlen (headers));
      g_byte_array_append (joined, (const guint8 *)data + start, half);
      part = g_byte_array_free_to_bytes (joined);

      raw_write (stream, part, truncate);
      if (stall)
        g_ptr_array_add (self->held_streams, g_object_ref (stream));
      return;
    }

  if (ranged)
    {
      g_autofree char *content_range = g_strdup_printf ("bytes %" G_GOFFSET_FORMAT "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT,
                                                        start, total - 1, total);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-Range", content_range);
      soup_server_message_set_status (msg, 206, NULL);
      soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data + start, total - start);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, total);
}

GBytes *
fake_make_test_clip (void)
{
  static GBytes *clip;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  GstElement *pipeline;
  GstBus *bus;
  GstMessage *message;
  char *contents = NULL;
  gsize length = 0;

  if (clip != NULL)
    return g_bytes_ref (clip);

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  dir = g_dir_make_tmp ("takes-fake-clip-XXXXXX", &error);
  g_assert (dir != NULL);
  path = g_build_filename (dir, "clip.mp4", NULL);

  description = g_strdup_printf ("videotestsrc pattern=smpte num-buffers=24"
                                 " ! video/x-raw,format=I420,width=160,height=90,framerate=24/1"
                                 " ! x264enc speed-preset=ultrafast threads=1 ! h264parse"
                                 " ! mp4mux faststart=true ! filesink location=\"%s\"", path);
  pipeline = gst_parse_launch (description, &error);
  if (pipeline == NULL)
    g_error ("The test clip could not be made: %s", error->message);

  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (message == NULL || GST_MESSAGE_TYPE (message) != GST_MESSAGE_EOS)
    g_error ("The test clip could not be made");
  gst_message_unref (message);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("The test clip could not be read: %s", error->message);

  g_unlink (path);
  g_rmdir (dir);

  clip = g_bytes_new_take (contents, length);

  return g_bytes_ref (clip);
}

GBytes *
fake_make_test_png (int width,
                    int height)
{
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  GstElement *pipeline, *sink;
  GstSample *sample;
  GstBuffer *buffer;
  GstMapInfo map;
  GBytes *bytes;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  description = g_strdup_printf ("videotestsrc pattern=smpte num-buffers=1"
                                 " ! video/x-raw,format=RGB,width=%d,height=%d"
                                 " ! pngenc ! appsink name=sink", width, height);
  pipeline = gst_parse_launch (description, &error);
  if (pipeline == NULL)
    g_error ("The test picture could not be made: %s", error->message);

  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  g_signal_emit_by_name (sink, "pull-sample", &sample);
  if (sample == NULL)
    g_error ("The test picture could not be made");

  buffer = gst_sample_get_buffer (sample);
  gst_buffer_map (buffer, &map, GST_MAP_READ);
  bytes = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buffer, &map);
  gst_sample_unref (sample);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);

  return bytes;
}

JsonObject *
fake_request_json (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}
