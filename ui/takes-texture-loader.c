/* takes-texture-loader.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-texture-loader"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "takes-texture-loader.h"

/* Enough for every visible row of a long film at two scales; past it the
 * cache simply starts again, which costs a few re-decodes and no memory. */
#define CACHE_MAX_ENTRIES 1024

typedef struct
{
  GFile *file;
  int    width;
  int    height;
} LoadData;

static GHashTable *cache;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_object (&load->file);
  g_free (load);
}

static char *
cache_key (GFile *file,
           int    width,
           int    height)
{
  g_autofree char *uri = g_file_get_uri (file);

  return g_strdup_printf ("%dx%d:%s", width, height, uri);
}

GdkTexture *
_takes_texture_loader_lookup (GFile *file,
                              int    width,
                              int    height)
{
  g_autofree char *key = NULL;
  GdkTexture *texture;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (cache == NULL)
    return NULL;

  key = cache_key (file, width, height);
  texture = g_hash_table_lookup (cache, key);

  return texture != NULL ? g_object_ref (texture) : NULL;
}

static void
cache_insert (GFile      *file,
              int         width,
              int         height,
              GdkTexture *texture)
{
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  if (g_hash_table_size (cache) >= CACHE_MAX_ENTRIES)
    g_hash_table_remove_all (cache);

  g_hash_table_replace (cache,
                        cache_key (file, width, height),
                        g_object_ref (texture));
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *load = task_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GInputStream) stream = NULL;
  GError *error = NULL;

  stream = G_INPUT_STREAM (g_file_read (load->file, cancellable, &error));
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  pixbuf = gdk_pixbuf_new_from_stream_at_scale (stream,
                                                load->width,
                                                load->height,
                                                TRUE,
                                                cancellable,
                                                &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&pixbuf), g_object_unref);
}

void
_takes_texture_loader_load_async (GFile               *file,
                                  int                  width,
                                  int                  height,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (width > 0 && height > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, _takes_texture_loader_load_async);

  load = g_new0 (LoadData, 1);
  load->file = g_object_ref (file);
  load->width = width;
  load->height = height;
  g_task_set_task_data (task, load, load_data_free);

  g_task_run_in_thread (task, load_thread);
}

GdkTexture *
_takes_texture_loader_load_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  LoadData *load;
  GdkTexture *texture;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  pixbuf = g_task_propagate_pointer (G_TASK (result), error);
  if (pixbuf == NULL)
    return NULL;

  /* The texture is made here, on the main thread, where GDK lives. */
  texture = gdk_texture_new_for_pixbuf (pixbuf);
  load = g_task_get_task_data (G_TASK (result));
  cache_insert (load->file, load->width, load->height, texture);

  return texture;
}
