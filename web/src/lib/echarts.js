// Only the ECharts parts the console draws with.
import * as echarts from 'echarts/core'
import { BarChart, PieChart, LineChart, RadarChart } from 'echarts/charts'
import { GridComponent, TooltipComponent, LegendComponent, DatasetComponent, RadarComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, PieChart, LineChart, RadarChart, GridComponent, TooltipComponent, LegendComponent, DatasetComponent, RadarComponent, CanvasRenderer])

export default echarts
