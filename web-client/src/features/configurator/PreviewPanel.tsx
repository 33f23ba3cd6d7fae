import { graphql, useFragment, type FragmentType } from '../../gql';
import { SvgPreview } from '../../components/SvgPreview';

export const PreviewPanelFragment = graphql(`
  fragment PreviewPanel_Preview on Preview {
    svg
    layers {
      group
      option
    }
  }
`);

/** PreviewPanel is the strap as configured, redrawn by the server on every change. */
export function PreviewPanel(props: { preview: FragmentType<typeof PreviewPanelFragment>; productName: string }) {
  const preview = useFragment(PreviewPanelFragment, props.preview);
  const described = preview.layers.map((l) => `${l.group} ${l.option}`).join(', ');
  return (
    <figure className="preview" data-testid="preview">
      <SvgPreview
        svg={preview.svg}
        alt={`Preview of your ${props.productName}${described ? `: ${described}` : ''}`}
        className="preview-img"
      />
    </figure>
  );
}
