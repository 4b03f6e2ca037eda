import { useMutation } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { useApi, useServices } from '../app-context.js'
import type { ProjectRef } from '../api/nereid-api.js'
import { ErrorMessage } from '../components/error-message.js'
import { Modal } from '../components/modal.js'
import { stateToViewDocument, type TableState } from './core/table-state.js'
import type { TableStateHandle } from './use-table-state.js'

/** Saved views: open, save (as new or over the current one), make default, delete, share. */
export function ViewsMenu({
  projectRef,
  handle,
}: {
  projectRef: ProjectRef
  handle: TableStateHandle
}) {
  const api = useApi()
  const { toast } = useServices()
  const [open, setOpen] = useState(false)
  const [naming, setNaming] = useState(false)
  const box = useRef<HTMLDivElement>(null)
  const { activeView, views, state, modified } = handle

  useEffect(() => {
    if (!open) return
    const onDown = (event: MouseEvent) => {
      if (box.current && !box.current.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', onDown)
    return () => document.removeEventListener('mousedown', onDown)
  }, [open])

  const update = useMutation({
    mutationFn: async () => {
      if (!activeView) return
      await api.views.put(projectRef, activeView.id, {
        name: activeView.name,
        state: stateToViewDocument(state),
        baseRevision: activeView.revision,
      })
    },
    onSuccess: async () => {
      await handle.refetchViews()
      handle.openView(null)
      toast('View saved')
    },
  })
  const makeDefault = useMutation({
    mutationFn: (id: string | null) => api.views.setDefault(projectRef, id),
    onSuccess: async () => {
      await handle.refetchViews()
      toast('Default view changed')
    },
  })
  const remove = useMutation({
    mutationFn: (id: string) => api.views.delete(projectRef, id),
    onSuccess: async () => {
      await handle.refetchViews()
      handle.openView(null)
      toast('View deleted')
    },
  })

  const share = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href)
      toast('Link to this table copied')
    } catch {
      toast('Copy the address bar to share this table')
    }
    setOpen(false)
  }

  return (
    <div ref={box} style={{ position: 'relative' }}>
      <button
        onClick={() => setOpen(!open)}
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid="views-button"
      >
        <span className="faint">View:</span> <strong>{activeView?.name ?? 'All runs'}</strong>
        {modified && <span title="Changed since it was saved">*</span>} ▾
      </button>
      {open && (
        <div className="popover menu" role="menu" style={{ top: 34, left: 0, width: 280 }}>
          <button role="menuitem" onClick={() => (handle.openView(null), setOpen(false))}>
            All runs (default columns)
          </button>
          {views.map((view) => (
            <button
              key={view.id}
              role="menuitem"
              onClick={() => {
                handle.openView(view)
                setOpen(false)
              }}
            >
              {view.id === activeView?.id ? '● ' : ''}
              {view.name}
              {view.isDefault && <span className="badge">default</span>}
            </button>
          ))}
          <hr style={{ border: 0, borderTop: '1px solid var(--border-soft)', width: '100%' }} />
          <button role="menuitem" onClick={() => (setNaming(true), setOpen(false))}>
            Save as new view…
          </button>
          {activeView && (
            <button
              role="menuitem"
              disabled={!modified || update.isPending}
              onClick={() => update.mutate()}
            >
              Save changes to “{activeView.name}”
            </button>
          )}
          {activeView && !activeView.isDefault && (
            <button
              role="menuitem"
              onClick={() => (makeDefault.mutate(activeView.id), setOpen(false))}
            >
              Make “{activeView.name}” the project default
            </button>
          )}
          {activeView?.isDefault && (
            <button role="menuitem" onClick={() => (makeDefault.mutate(null), setOpen(false))}>
              Stop using “{activeView.name}” as default
            </button>
          )}
          {activeView && (
            <button
              role="menuitem"
              className="danger"
              onClick={() => {
                if (window.confirm(`Delete the saved view “${activeView.name}”?`))
                  remove.mutate(activeView.id)
              }}
            >
              Delete “{activeView.name}”
            </button>
          )}
          <button role="menuitem" onClick={share}>
            Copy link to this table
          </button>
        </div>
      )}
      {(update.isError || makeDefault.isError || remove.isError) && (
        <div className="popover" style={{ top: 34, left: 0, width: 360 }}>
          <ErrorMessage error={update.error ?? makeDefault.error ?? remove.error} />
          <button onClick={() => (update.reset(), makeDefault.reset(), remove.reset())}>
            Close
          </button>
        </div>
      )}
      {naming && (
        <SaveViewDialog
          projectRef={projectRef}
          state={state}
          handle={handle}
          onClose={() => setNaming(false)}
        />
      )}
    </div>
  )
}

function SaveViewDialog({
  projectRef,
  state,
  handle,
  onClose,
}: {
  projectRef: ProjectRef
  state: TableState
  handle: TableStateHandle
  onClose(): void
}) {
  const api = useApi()
  const { toast } = useServices()
  const [name, setName] = useState('')
  const [asDefault, setAsDefault] = useState(false)
  // Chosen once per dialog: a retried save creates one view.
  const [id] = useState(() => crypto.randomUUID())
  const save = useMutation({
    mutationFn: async () => {
      const { view } = await api.views.put(projectRef, id, {
        name: name.trim(),
        state: stateToViewDocument(state),
        baseRevision: 0,
      })
      if (asDefault) await api.views.setDefault(projectRef, view.id)
      return view
    },
    onSuccess: async (view) => {
      await handle.refetchViews()
      handle.openView(view)
      toast(`Saved view “${view.name}”`)
      onClose()
    },
  })
  return (
    <Modal
      title="Save this table as a view"
      onClose={onClose}
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button
            className="primary"
            disabled={!name.trim() || save.isPending}
            onClick={() => save.mutate()}
          >
            {save.isPending ? 'Saving…' : 'Save view'}
          </button>
        </>
      }
    >
      <div className="field">
        <label htmlFor="view-name">Name</label>
        <input
          id="view-name"
          autoFocus
          value={name}
          maxLength={200}
          onChange={(event) => setName(event.target.value)}
          onKeyDown={(event) => event.key === 'Enter' && name.trim() && save.mutate()}
        />
      </div>
      <label className="row">
        <input
          type="checkbox"
          checked={asDefault}
          onChange={(event) => setAsDefault(event.target.checked)}
        />
        Open the project's runs table with this view
      </label>
      <p className="small muted">
        A view keeps the columns, filter, sort, grouping and pinned columns. Everyone in the project
        sees it.
      </p>
      {save.isError && <ErrorMessage error={save.error} />}
    </Modal>
  )
}
