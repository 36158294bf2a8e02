/* takes-history.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-history"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-history.h"
#include "takes-model-private.h"

/* Enough for an afternoon of edits; each step holds at most a few values
 * or a shot, so memory stays small. */
#define MAX_STEPS 500

typedef enum
{
  COMMAND_SET,
  COMMAND_INSERT_SHOT,
  COMMAND_REMOVE_SHOT,
  COMMAND_MOVE_SHOT,
  COMMAND_REMOVE_TAKE,
  COMMAND_ADD_SOUNDTRACK_CLIP,
  COMMAND_REMOVE_SOUNDTRACK_CLIP,
  COMMAND_GROUP,
} CommandKind;

typedef struct
{
  CommandKind  kind;
  char        *label;

  /* COMMAND_SET */
  GObject     *object;
  GParamSpec  *pspec;
  GValue       old_value;
  GValue       new_value;

  /* shots and takes */
  TakesShot   *shot;
  TakesTake   *take;
  guint        position;
  guint        to;
  gboolean     was_picked;

  /* soundtrack */
  TakesSoundtrackClip *clip;

  /* COMMAND_GROUP */
  GPtrArray   *children;
} Command;

struct _TakesHistory
{
  GObject       parent_instance;

  /* owned */
  TakesProject *project;
  GQueue        undo_stack;  /* head is the most recent */
  GQueue        redo_stack;
  Command      *group;

  guint         group_depth;
  gboolean      can_coalesce;

  /* last notified, to notify only on change */
  gboolean      last_can_undo;
  gboolean      last_can_redo;
  char         *last_undo_label;
  char         *last_redo_label;
};

G_DEFINE_FINAL_TYPE (TakesHistory, takes_history, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_UNDO_LABEL,
  PROP_REDO_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
command_free (Command *command)
{
  g_clear_object (&command->object);
  if (G_IS_VALUE (&command->old_value))
    g_value_unset (&command->old_value);
  if (G_IS_VALUE (&command->new_value))
    g_value_unset (&command->new_value);
  g_clear_object (&command->shot);
  g_clear_object (&command->take);
  g_clear_object (&command->clip);
  g_clear_pointer (&command->children, g_ptr_array_unref);
  g_free (command->label);
  g_free (command);
}

static Command *
command_new (CommandKind  kind,
             const char  *label)
{
  Command *command = g_new0 (Command, 1);

  command->kind = kind;
  command->label = g_strdup (label);

  return command;
}

static void
clear_queue (GQueue *queue)
{
  Command *command;

  while ((command = g_queue_pop_head (queue)) != NULL)
    command_free (command);
}

static void
apply (TakesHistory *self,
       Command      *command,
       gboolean      forward)
{
  switch (command->kind)
    {
    case COMMAND_SET:
      g_object_set_property (command->object, command->pspec->name,
                             forward ? &command->new_value : &command->old_value);
      break;

    case COMMAND_INSERT_SHOT:
      if (forward)
        takes_project_insert_shot (self->project, command->position, command->shot);
      else
        takes_project_remove_shot (self->project, command->position);
      break;

    case COMMAND_REMOVE_SHOT:
      if (forward)
        takes_project_remove_shot (self->project, command->position);
      else
        takes_project_insert_shot (self->project, command->position, command->shot);
      break;

    case COMMAND_MOVE_SHOT:
      if (forward)
        takes_project_move_shot (self->project, command->position, command->to);
      else
        takes_project_move_shot (self->project, command->to, command->position);
      break;

    case COMMAND_REMOVE_TAKE:
      if (forward)
        {
          takes_shot_remove_take (command->shot, command->take);
        }
      else
        {
          _takes_shot_insert_take (command->shot, command->position, command->take);
          if (command->was_picked)
            takes_shot_set_picked_take_id (command->shot, takes_take_get_id (command->take));
        }
      break;

    case COMMAND_ADD_SOUNDTRACK_CLIP:
    case COMMAND_REMOVE_SOUNDTRACK_CLIP:
      /* The soundtrack is unordered (each clip has its start), so undoing
       * a removal may append. */
      if (forward == (command->kind == COMMAND_ADD_SOUNDTRACK_CLIP))
        takes_project_add_soundtrack_clip (self->project, command->clip);
      else
        takes_project_remove_soundtrack_clip (self->project, command->clip);
      break;

    case COMMAND_GROUP:
      if (forward)
        {
          for (guint i = 0; i < command->children->len; i++)
            apply (self, g_ptr_array_index (command->children, i), TRUE);
        }
      else
        {
          for (guint i = command->children->len; i > 0; i--)
            apply (self, g_ptr_array_index (command->children, i - 1), FALSE);
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

static const char *
label_of (GQueue *queue)
{
  Command *command = g_queue_peek_head (queue);

  return command != NULL ? command->label : NULL;
}

static void
update_state (TakesHistory *self)
{
  gboolean can_undo = !g_queue_is_empty (&self->undo_stack);
  gboolean can_redo = !g_queue_is_empty (&self->redo_stack);
  const char *undo_label = label_of (&self->undo_stack);
  const char *redo_label = label_of (&self->redo_stack);

  g_object_freeze_notify (G_OBJECT (self));

  if (can_undo != self->last_can_undo)
    {
      self->last_can_undo = can_undo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
    }

  if (can_redo != self->last_can_redo)
    {
      self->last_can_redo = can_redo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
    }

  if (g_strcmp0 (undo_label, self->last_undo_label) != 0)
    {
      g_free (self->last_undo_label);
      self->last_undo_label = g_strdup (undo_label);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNDO_LABEL]);
    }

  if (g_strcmp0 (redo_label, self->last_redo_label) != 0)
    {
      g_free (self->last_redo_label);
      self->last_redo_label = g_strdup (redo_label);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REDO_LABEL]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

/* Records an already applied command. */
static void
push (TakesHistory *self,
      Command      *command)
{
  if (self->group != NULL)
    {
      g_ptr_array_add (self->group->children, command);
      return;
    }

  g_queue_push_head (&self->undo_stack, command);
  clear_queue (&self->redo_stack);

  while (g_queue_get_length (&self->undo_stack) > MAX_STEPS)
    command_free (g_queue_pop_tail (&self->undo_stack));

  update_state (self);
}

static Command *
last_command (TakesHistory *self)
{
  if (self->group != NULL)
    {
      if (self->group->children->len == 0)
        return NULL;
      return g_ptr_array_index (self->group->children, self->group->children->len - 1);
    }

  return g_queue_peek_head (&self->undo_stack);
}

static void
takes_history_dispose (GObject *object)
{
  TakesHistory *self = (TakesHistory *) object;

  clear_queue (&self->undo_stack);
  clear_queue (&self->redo_stack);
  g_clear_pointer (&self->group, command_free);
  g_clear_pointer (&self->last_undo_label, g_free);
  g_clear_pointer (&self->last_redo_label, g_free);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (takes_history_parent_class)->dispose (object);
}

static void
takes_history_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TakesHistory *self = TAKES_HISTORY (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, takes_history_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, takes_history_can_redo (self));
      break;
    case PROP_UNDO_LABEL:
      g_value_set_string (value, takes_history_get_undo_label (self));
      break;
    case PROP_REDO_LABEL:
      g_value_set_string (value, takes_history_get_redo_label (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_history_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TakesHistory *self = TAKES_HISTORY (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      self->project = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_history_class_init (TakesHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = takes_history_dispose;
  object_class->get_property = takes_history_get_property;
  object_class->set_property = takes_history_set_property;

  properties[PROP_PROJECT] = g_param_spec_object ("project", NULL, NULL, TAKES_TYPE_PROJECT,
                                                  G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                                  G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, ro);
  properties[PROP_CAN_REDO] = g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, ro);
  properties[PROP_UNDO_LABEL] = g_param_spec_string ("undo-label", NULL, NULL, NULL, ro);
  properties[PROP_REDO_LABEL] = g_param_spec_string ("redo-label", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
takes_history_init (TakesHistory *self)
{
  g_queue_init (&self->undo_stack);
  g_queue_init (&self->redo_stack);
}

TakesHistory *
takes_history_new (TakesProject *project)
{
  g_return_val_if_fail (TAKES_IS_PROJECT (project), NULL);

  return g_object_new (TAKES_TYPE_HISTORY, "project", project, NULL);
}

TakesProject *
takes_history_get_project (TakesHistory *self)
{
  g_return_val_if_fail (TAKES_IS_HISTORY (self), NULL);

  return self->project;
}

static const char *
label_for_property (GObject    *object,
                    const char *name)
{
  if (TAKES_IS_SHOT (object))
    {
      if (g_str_equal (name, "title"))
        return _("Edit Title");
      if (g_str_equal (name, "prompt"))
        return _("Edit Prompt");
      if (g_str_equal (name, "negative-prompt"))
        return _("Edit Negative Prompt");
      if (g_str_equal (name, "duration"))
        return _("Change Duration");
      if (g_str_equal (name, "aspect"))
        return _("Change Aspect Ratio");
      if (g_str_equal (name, "seed"))
        return _("Change Seed");
      if (g_str_equal (name, "reference-image"))
        return _("Change Reference Image");
      if (g_str_equal (name, "notes"))
        return _("Edit Notes");
      if (g_str_equal (name, "backend-params"))
        return _("Change Generator Settings");
      if (g_str_equal (name, "picked-take-id"))
        return _("Pick Take");
      if (g_str_equal (name, "trim-in") || g_str_equal (name, "trim-out"))
        return _("Trim Shot");
      if (g_str_equal (name, "transition") || g_str_equal (name, "transition-duration"))
        return _("Change Transition");
    }
  else if (TAKES_IS_TAKE (object))
    {
      if (g_str_equal (name, "rating"))
        return _("Rate Take");
      if (g_str_equal (name, "notes"))
        return _("Edit Notes");
    }
  else if (TAKES_IS_PROJECT (object))
    {
      if (g_str_equal (name, "title"))
        return _("Edit Title");
      if (g_str_equal (name, "width") || g_str_equal (name, "height"))
        return _("Change Video Size");
      if (g_str_equal (name, "fps"))
        return _("Change Frame Rate");
      if (g_str_equal (name, "budget"))
        return _("Change Budget");
    }
  else if (TAKES_IS_SOUNDTRACK_CLIP (object))
    {
      if (g_str_equal (name, "start"))
        return _("Move Soundtrack Clip");
      if (g_str_equal (name, "inpoint") || g_str_equal (name, "duration"))
        return _("Trim Soundtrack Clip");
      if (g_str_equal (name, "volume"))
        return _("Change Volume");
      if (g_str_equal (name, "media"))
        return _("Change Soundtrack");
    }

  return _("Edit");
}

void
takes_history_set (TakesHistory *self,
                   gpointer      object,
                   const char   *property,
                   const GValue *value)
{
  g_auto(GValue) current = G_VALUE_INIT;
  g_auto(GValue) wanted = G_VALUE_INIT;
  GParamSpec *pspec;
  Command *last;
  Command *command;

  g_return_if_fail (TAKES_IS_HISTORY (self));
  g_return_if_fail (TAKES_IS_PROJECT (object) || TAKES_IS_SHOT (object) ||
                    TAKES_IS_TAKE (object) || TAKES_IS_SOUNDTRACK_CLIP (object));
  g_return_if_fail (property != NULL);
  g_return_if_fail (G_IS_VALUE (value));

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), property);
  g_return_if_fail (pspec != NULL);
  g_return_if_fail ((pspec->flags & G_PARAM_WRITABLE) != 0);

  g_value_init (&wanted, pspec->value_type);
  if (!g_value_transform (value, &wanted))
    {
      g_critical ("Cannot set %s.%s from a %s", G_OBJECT_TYPE_NAME (object),
                  property, G_VALUE_TYPE_NAME (value));
      return;
    }

  g_value_init (&current, pspec->value_type);
  g_object_get_property (object, pspec->name, &current);

  if (g_param_values_cmp (pspec, &current, &wanted) == 0)
    return;

  g_object_set_property (object, pspec->name, &wanted);

  /* Read back what the object took: setters may normalise or refuse. */
  g_value_reset (&wanted);
  g_object_get_property (object, pspec->name, &wanted);
  if (g_param_values_cmp (pspec, &current, &wanted) == 0)
    return;

  last = last_command (self);
  if (self->can_coalesce && last != NULL && last->kind == COMMAND_SET &&
      last->object == object && last->pspec == pspec)
    {
      g_value_reset (&last->new_value);
      g_value_copy (&wanted, &last->new_value);
      return;
    }

  command = command_new (COMMAND_SET, label_for_property (object, pspec->name));
  command->object = g_object_ref (object);
  command->pspec = pspec;
  g_value_init (&command->old_value, pspec->value_type);
  g_value_copy (&current, &command->old_value);
  g_value_init (&command->new_value, pspec->value_type);
  g_value_copy (&wanted, &command->new_value);

  push (self, command);
  self->can_coalesce = TRUE;
}

void
takes_history_set_string (TakesHistory *self,
                          gpointer      object,
                          const char   *property,
                          const char   *value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;

  g_value_init (&gvalue, G_TYPE_STRING);
  g_value_set_string (&gvalue, value);
  takes_history_set (self, object, property, &gvalue);
}

void
takes_history_set_double (TakesHistory *self,
                          gpointer      object,
                          const char   *property,
                          double        value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;

  g_value_init (&gvalue, G_TYPE_DOUBLE);
  g_value_set_double (&gvalue, value);
  takes_history_set (self, object, property, &gvalue);
}

void
takes_history_set_int64 (TakesHistory *self,
                         gpointer      object,
                         const char   *property,
                         gint64        value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;

  g_value_init (&gvalue, G_TYPE_INT64);
  g_value_set_int64 (&gvalue, value);
  takes_history_set (self, object, property, &gvalue);
}

void
takes_history_insert_shot (TakesHistory *self,
                           guint         position,
                           TakesShot    *shot)
{
  Command *command;

  g_return_if_fail (TAKES_IS_HISTORY (self));
  g_return_if_fail (TAKES_IS_SHOT (shot));

  position = MIN (position, takes_project_get_n_shots (self->project));

  command = command_new (COMMAND_INSERT_SHOT, _("Add Shot"));
  command->shot = g_object_ref (shot);
  command->position = position;

  self->can_coalesce = FALSE;
  apply (self, command, TRUE);
  push (self, command);
}

void
takes_history_remove_shot (TakesHistory *self,
                           guint         position)
{
  Command *command;
  TakesShot *shot;

  g_return_if_fail (TAKES_IS_HISTORY (self));

  shot = takes_project_get_shot (self->project, position);
  g_return_if_fail (shot != NULL);

  command = command_new (COMMAND_REMOVE_SHOT, _("Delete Shot"));
  command->shot = g_object_ref (shot);
  command->position = position;

  self->can_coalesce = FALSE;
  apply (self, command, TRUE);
  push (self, command);
}

void
takes_history_move_shot (TakesHistory *self,
                         guint         from,
                         guint         to)
{
  Command *command;
  guint n;

  g_return_if_fail (TAKES_IS_HISTORY (self));

  n = takes_project_get_n_shots (self->project);
  g_return_if_fail (from < n);

  /* The project clamps; record where the shot really goes so undo finds it. */
  to = MIN (to, n - 1);
  if (from == to)
    return;

  command = command_new (COMMAND_MOVE_SHOT, _("Move Shot"));
  command->position = from;
  command->to = to;

  self->can_coalesce = FALSE;
  apply (self, command, TRUE);
  push (self, command);
}

void
takes_history_remove_take (TakesHistory *self,
                           TakesShot    *shot,
                           TakesTake    *take)
{
  Command *command;
  guint position;

  g_return_if_fail (TAKES_IS_HISTORY (self));
  g_return_if_fail (TAKES_IS_SHOT (shot));
  g_return_if_fail (TAKES_IS_TAKE (take));

  if (!_takes_shot_find_take_position (shot, take, &position))
    return;

  command = command_new (COMMAND_REMOVE_TAKE, _("Delete Take"));
  command->shot = g_object_ref (shot);
  command->take = g_object_ref (take);
  command->position = position;
  command->was_picked = g_strcmp0 (takes_shot_get_picked_take_id (shot),
                                   takes_take_get_id (take)) == 0;

  self->can_coalesce = FALSE;
  apply (self, command, TRUE);
  push (self, command);
}

static void
push_soundtrack_command (TakesHistory        *self,
                         CommandKind          kind,
                         const char          *label,
                         TakesSoundtrackClip *clip)
{
  Command *command = command_new (kind, label);

  command->clip = g_object_ref (clip);
  self->can_coalesce = FALSE;
  apply (self, command, TRUE);
  push (self, command);
}

void
takes_history_add_soundtrack_clip (TakesHistory        *self,
                                   TakesSoundtrackClip *clip)
{
  g_return_if_fail (TAKES_IS_HISTORY (self));
  g_return_if_fail (TAKES_IS_SOUNDTRACK_CLIP (clip));

  push_soundtrack_command (self, COMMAND_ADD_SOUNDTRACK_CLIP, _("Add Music"), clip);
}

void
takes_history_remove_soundtrack_clip (TakesHistory        *self,
                                      TakesSoundtrackClip *clip)
{
  g_return_if_fail (TAKES_IS_HISTORY (self));
  g_return_if_fail (TAKES_IS_SOUNDTRACK_CLIP (clip));

  push_soundtrack_command (self, COMMAND_REMOVE_SOUNDTRACK_CLIP, _("Remove Music"), clip);
}

void
takes_history_begin (TakesHistory *self,
                     const char   *label)
{
  g_return_if_fail (TAKES_IS_HISTORY (self));

  self->can_coalesce = FALSE;

  /* Nested groups fold into the outermost one and keep its label. */
  if (self->group_depth++ > 0)
    return;

  self->group = command_new (COMMAND_GROUP, label != NULL ? label : _("Edit"));
  self->group->children = g_ptr_array_new_with_free_func ((GDestroyNotify) command_free);
}

void
takes_history_end (TakesHistory *self)
{
  Command *group;

  g_return_if_fail (TAKES_IS_HISTORY (self));
  g_return_if_fail (self->group_depth > 0);

  self->can_coalesce = FALSE;

  if (--self->group_depth > 0)
    return;

  group = g_steal_pointer (&self->group);
  if (group->children->len == 0)
    {
      command_free (group);
      return;
    }

  push (self, group);
}

void
takes_history_break_coalescing (TakesHistory *self)
{
  g_return_if_fail (TAKES_IS_HISTORY (self));

  self->can_coalesce = FALSE;
}

gboolean
takes_history_can_undo (TakesHistory *self)
{
  g_return_val_if_fail (TAKES_IS_HISTORY (self), FALSE);

  return !g_queue_is_empty (&self->undo_stack);
}

gboolean
takes_history_can_redo (TakesHistory *self)
{
  g_return_val_if_fail (TAKES_IS_HISTORY (self), FALSE);

  return !g_queue_is_empty (&self->redo_stack);
}

const char *
takes_history_get_undo_label (TakesHistory *self)
{
  g_return_val_if_fail (TAKES_IS_HISTORY (self), NULL);

  return label_of (&self->undo_stack);
}

const char *
takes_history_get_redo_label (TakesHistory *self)
{
  g_return_val_if_fail (TAKES_IS_HISTORY (self), NULL);

  return label_of (&self->redo_stack);
}

gboolean
takes_history_undo (TakesHistory *self)
{
  Command *command;

  g_return_val_if_fail (TAKES_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (self->group_depth == 0, FALSE);

  self->can_coalesce = FALSE;

  command = g_queue_pop_head (&self->undo_stack);
  if (command == NULL)
    return FALSE;

  apply (self, command, FALSE);
  g_queue_push_head (&self->redo_stack, command);
  update_state (self);

  return TRUE;
}

gboolean
takes_history_redo (TakesHistory *self)
{
  Command *command;

  g_return_val_if_fail (TAKES_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (self->group_depth == 0, FALSE);

  self->can_coalesce = FALSE;

  command = g_queue_pop_head (&self->redo_stack);
  if (command == NULL)
    return FALSE;

  apply (self, command, TRUE);
  g_queue_push_head (&self->undo_stack, command);
  update_state (self);

  return TRUE;
}

void
takes_history_clear (TakesHistory *self)
{
  g_return_if_fail (TAKES_IS_HISTORY (self));

  self->can_coalesce = FALSE;
  clear_queue (&self->undo_stack);
  clear_queue (&self->redo_stack);
  update_state (self);
}
